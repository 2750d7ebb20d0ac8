'use client';

import { useActionState } from 'react';
import { Callout } from '@/components/ui/callout';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { SubmitButton } from '@/components/ui/submit-button';
import { fieldError, previousValue, type ActionState } from '@/lib/action-result';
import { acceptInviteAction } from './actions';

export function AcceptInviteForm({ token, email }: { token: string; email: string }) {
  const [state, formAction] = useActionState<ActionState, FormData>(acceptInviteAction, null);
  return (
    <form action={formAction} className="grid gap-4" noValidate>
      {state && !state.ok && !state.error.fields ? <Callout variant="danger">{state.error.message}</Callout> : null}
      <input type="hidden" name="token" value={token} />
      <Field label="Email">
        <Input value={email} readOnly disabled />
      </Field>
      <Field label="Your name" error={fieldError(state, 'name')}>
        <Input name="name" autoComplete="name" required autoFocus defaultValue={previousValue(state, 'name')} />
      </Field>
      <Field label="Choose a password" hint="At least 12 characters." error={fieldError(state, 'password')}>
        <Input name="password" type="password" autoComplete="new-password" required />
      </Field>
      <SubmitButton pendingLabel="Creating your account…" className="w-full">
        Join PriceSense
      </SubmitButton>
    </form>
  );
}
