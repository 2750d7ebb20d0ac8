'use client';

import * as React from 'react';
import { Pencil } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { SubmitButton } from '@/components/ui/submit-button';
import { fieldError, previousValue, type ActionState } from '@/lib/action-result';
import { formatUsd } from '@/lib/costs';
import { setBudgetAction } from './actions';

/** Admins change the monthly budget in place; the page re-renders with the new bar and forecast verdict. */
export function BudgetEditor({ budget, defaultUsd }: { budget: number; defaultUsd: number }) {
  const [editing, setEditing] = React.useState(false);
  const [state, formAction] = React.useActionState<ActionState<{ monthly_usd: number }>, FormData>(async (prev, data) => {
    const result = await setBudgetAction(prev, data);
    if (result?.ok) setEditing(false);
    return result;
  }, null);

  if (!editing) {
    return (
      <div className="flex flex-wrap items-center gap-2">
        <Button variant="outline" size="sm" onClick={() => setEditing(true)}>
          <Pencil aria-hidden="true" />
          Edit budget
        </Button>
        {state?.ok ? <span role="status" className="text-xs text-success-soft-foreground">Budget set to {formatUsd(state.data.monthly_usd)}</span> : null}
      </div>
    );
  }
  return (
    <form action={formAction} className="grid gap-3 sm:max-w-sm" noValidate aria-label="Edit the monthly budget">
      {state && !state.ok && !state.error.fields ? <Callout variant="danger">{state.error.message}</Callout> : null}
      <Field label="Monthly budget (USD)" hint={`For every month, from now on. Default ${formatUsd(defaultUsd)}.`} error={fieldError(state, 'monthly_usd')}>
        <Input name="monthly_usd" inputMode="decimal" autoComplete="off" defaultValue={previousValue(state, 'monthly_usd') ?? String(budget)} autoFocus />
      </Field>
      <div className="flex gap-2">
        <SubmitButton pendingLabel="Saving…">Save budget</SubmitButton>
        <Button variant="ghost" onClick={() => setEditing(false)}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
