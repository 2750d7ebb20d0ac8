'use client';

import { useActionState, useState } from 'react';
import { Callout } from '@/components/ui/callout';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionState } from '@/lib/action-result';
import { signInAction } from './actions';

export function LoginForm({ callbackUrl, notice }: { callbackUrl: string; notice?: string }) {
  const [state, formAction] = useActionState<ActionState, FormData>(signInAction, null);
  // Controlled, so the email survives a failed attempt (React resets uncontrolled fields after an action).
  const [email, setEmail] = useState('');
  return (
    <form action={formAction} className="grid gap-4" noValidate>
      {notice && !state ? <Callout variant="info">{notice}</Callout> : null}
      {state && !state.ok ? (
        <Callout variant="danger" data-testid="login-error">
          {state.error.message}
        </Callout>
      ) : null}
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <Field label="Email">
        <Input name="email" type="email" autoComplete="username" required autoFocus value={email} onChange={(e) => setEmail(e.target.value)} />
      </Field>
      <Field label="Password">
        <Input name="password" type="password" autoComplete="current-password" required />
      </Field>
      <SubmitButton pendingLabel="Signing in…" className="w-full">
        Sign in
      </SubmitButton>
    </form>
  );
}
