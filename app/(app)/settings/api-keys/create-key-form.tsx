'use client';

import { useActionState } from 'react';
import { Callout } from '@/components/ui/callout';
import { CodeBlock } from '@/components/ui/code-block';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { SubmitButton } from '@/components/ui/submit-button';
import { fieldError, previousValue, type ActionState } from '@/lib/action-result';
import { createKeyAction, type CreatedKey } from './actions';

const SCOPES = [
  { value: 'read', label: 'read', help: 'read datasets, runs, models, metrics and costs' },
  { value: 'write', label: 'write', help: 'launch runs, register and deploy models (your role permitting)' },
  { value: 'predict', label: 'predict', help: 'call the prediction API' },
];

export function CreateKeyForm({ origin }: { origin: string }) {
  const [state, formAction] = useActionState<ActionState<CreatedKey>, FormData>(createKeyAction, null);
  return (
    <div className="grid gap-4">
      {state?.ok ? (
        <Callout variant="success" title={`API key "${state.data.name}" created`}>
          <p className="mb-2">Copy the secret now: it is shown only this once and cannot be recovered.</p>
          <div data-testid="new-key-secret">
            <CodeBlock code={state.data.secret} />
          </div>
          <p className="mt-3 mb-1">Try it:</p>
          <CodeBlock code={`curl -H "Authorization: Bearer ${state.data.secret}" ${origin}/api/v1/whoami`} prompt />
        </Callout>
      ) : null}
      {state && !state.ok && !state.error.fields ? <Callout variant="danger">{state.error.message}</Callout> : null}
      <form action={formAction} className="grid gap-4 sm:grid-cols-2" noValidate>
        <Field label="Name" hint="What the key is for, e.g. ci-pipeline." error={fieldError(state, 'name')}>
          <Input name="name" required maxLength={80} defaultValue={previousValue(state, 'name')} />
        </Field>
        <Field label="Expires">
          <Select name="expiresInDays" defaultValue={previousValue(state, 'expiresInDays') ?? '90'}>
            <option value="30">in 30 days</option>
            <option value="90">in 90 days</option>
            <option value="365">in a year</option>
            <option value="">never</option>
          </Select>
        </Field>
        <fieldset className="grid gap-2 sm:col-span-2">
          <legend className="mb-1 text-sm font-medium">Scopes</legend>
          {SCOPES.map((s) => (
            <label key={s.value} className="flex items-start gap-2 text-sm">
              <input type="checkbox" name="scopes" value={s.value} defaultChecked={s.value === 'read'} className="mt-0.5 size-4 accent-[var(--color-accent)]" />
              <span>
                <span className="font-mono">{s.label}</span> <span className="text-muted-foreground">— {s.help}</span>
              </span>
            </label>
          ))}
          {fieldError(state, 'scopes') ? <p className="text-xs font-medium text-danger-soft-foreground">Scopes: {fieldError(state, 'scopes')}</p> : null}
        </fieldset>
        <div className="sm:col-span-2">
          <SubmitButton pendingLabel="Creating…">Create API key</SubmitButton>
        </div>
      </form>
    </div>
  );
}
