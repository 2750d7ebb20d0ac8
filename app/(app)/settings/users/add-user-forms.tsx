'use client';

import { useActionState } from 'react';
import { Callout } from '@/components/ui/callout';
import { CodeBlock } from '@/components/ui/code-block';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Select, type SelectProps } from '@/components/ui/select';
import { SubmitButton } from '@/components/ui/submit-button';
import { fieldError, previousValue, type ActionState } from '@/lib/action-result';
import { ROLE_LABELS } from '@/components/shell/role-label';
import { createUserAction, inviteAction } from './actions';

/** Forwards its props: Field gives the control its id and aria attributes. */
function RoleSelect({ defaultValue, ...props }: SelectProps) {
  return (
    <Select name="role" defaultValue={defaultValue ?? 'viewer'} {...props}>
      {Object.entries(ROLE_LABELS).map(([value, label]) => (
        <option key={value} value={value}>{label}</option>
      ))}
    </Select>
  );
}

export function InviteForm() {
  const [state, formAction] = useActionState<ActionState<{ email: string; link: string }>, FormData>(inviteAction, null);
  return (
    <div className="grid gap-4">
      {state?.ok ? (
        <Callout variant="success" title={`Invite for ${state.data.email}`}>
          <p className="mb-2">Send this link to them; it works once, for 7 days, and is shown only now.</p>
          <div data-testid="invite-link"><CodeBlock code={state.data.link} /></div>
        </Callout>
      ) : null}
      {state && !state.ok && !state.error.fields ? <Callout variant="danger">{state.error.message}</Callout> : null}
      <form action={formAction} className="grid gap-4 sm:grid-cols-[1fr_12rem_auto] sm:items-end" noValidate>
        <Field label="Email" error={fieldError(state, 'email')}>
          <Input name="email" type="email" required defaultValue={previousValue(state, 'email')} />
        </Field>
        <Field label="Role" error={fieldError(state, 'role')}>
          <RoleSelect defaultValue={previousValue(state, 'role')} />
        </Field>
        <SubmitButton pendingLabel="Inviting…">Create invite link</SubmitButton>
      </form>
    </div>
  );
}

export function CreateUserForm() {
  const [state, formAction] = useActionState<ActionState<{ email: string; password: string }>, FormData>(createUserAction, null);
  return (
    <div className="grid gap-4">
      {state?.ok ? (
        <Callout variant="success" title={`Created ${state.data.email}`}>
          <p className="mb-2">Their password, shown only now; they can change it under Settings → Profile.</p>
          <div data-testid="created-password"><CodeBlock code={state.data.password} /></div>
        </Callout>
      ) : null}
      {state && !state.ok && !state.error.fields ? <Callout variant="danger">{state.error.message}</Callout> : null}
      <form action={formAction} className="grid gap-4 sm:grid-cols-[1fr_1fr_12rem_auto] sm:items-end" noValidate>
        <Field label="Email" error={fieldError(state, 'email')}>
          <Input name="email" type="email" required defaultValue={previousValue(state, 'email')} />
        </Field>
        <Field label="Name" error={fieldError(state, 'name')}>
          <Input name="name" required defaultValue={previousValue(state, 'name')} />
        </Field>
        <Field label="Role" error={fieldError(state, 'role')}>
          <RoleSelect defaultValue={previousValue(state, 'role')} />
        </Field>
        <SubmitButton pendingLabel="Creating…" variant="outline">Create user</SubmitButton>
      </form>
    </div>
  );
}
