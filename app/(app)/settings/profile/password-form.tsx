'use client';

import { useActionState } from 'react';
import { Callout } from '@/components/ui/callout';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { SubmitButton } from '@/components/ui/submit-button';
import { fieldError, type ActionState } from '@/lib/action-result';
import { changePasswordAction } from './actions';

export function PasswordForm() {
  const [state, formAction] = useActionState<ActionState, FormData>(changePasswordAction, null);
  return (
    <form action={formAction} className="grid max-w-sm gap-4" noValidate>
      {state && !state.ok && !state.error.fields ? <Callout variant="danger">{state.error.message}</Callout> : null}
      <Field label="Current password" error={fieldError(state, 'currentPassword')}>
        <Input name="currentPassword" type="password" autoComplete="current-password" required />
      </Field>
      <Field label="New password" hint="At least 12 characters. You will be signed out everywhere." error={fieldError(state, 'newPassword')}>
        <Input name="newPassword" type="password" autoComplete="new-password" required />
      </Field>
      <div>
        <SubmitButton pendingLabel="Changing…">Change password</SubmitButton>
      </div>
    </form>
  );
}
