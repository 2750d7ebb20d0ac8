'use client';

import * as React from 'react';
import { Pencil } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { fieldError, type ActionState } from '@/lib/action-result';
import type { GateThresholds } from '@/lib/kpi-gates';
import { cn } from '@/lib/utils';
import { updateGatesAction } from './actions';

const GATES: { key: keyof GateThresholds; label: string; hint: string }[] = [
  { key: 'accuracy', label: 'Accuracy at least', hint: 'share of test baskets classified right' },
  { key: 'macroF1', label: 'Macro F1 at least', hint: 'mean F1 over the classes: a rare class counts as much as a common one' },
  { key: 'minClassPrecision', label: 'Precision of every class at least', hint: 'one gate per class: no class may be predicted carelessly' },
];

/**
 * The KPI gates in force, for everyone; admins can change them. A change applies
 * to versions registered from now on: a version keeps the verdict it got.
 */
export function KpiGatesCard({ thresholds, defaults, canEdit, className }: { thresholds: GateThresholds; defaults: GateThresholds; canEdit: boolean; className?: string }) {
  const [editing, setEditing] = React.useState(false);
  const [values, setValues] = React.useState(() => Object.fromEntries(GATES.map((g) => [g.key, String(thresholds[g.key])])) as Record<keyof GateThresholds, string>);
  const [state, setState] = React.useState<ActionState<GateThresholds>>(null);
  const [pending, startTransition] = React.useTransition();
  const changed = GATES.some((g) => thresholds[g.key] !== defaults[g.key]);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    startTransition(async () => {
      const input = Object.fromEntries(GATES.map((g) => [g.key, values[g.key].trim() === '' ? null : Number(values[g.key])]));
      const result = await updateGatesAction(input);
      setState(result);
      if (result?.ok) setEditing(false);
    });
  };

  return (
    <Card className={className} aria-labelledby="kpi-gates-title">
      <CardHeader>
        <CardTitle id="kpi-gates-title">KPI gates</CardTitle>
        <CardDescription>
          Checked when a run is registered. A version that fails one can only be approved with a written override reason. Changes apply to versions registered afterwards.
        </CardDescription>
        {canEdit && !editing ? (
          <CardAction>
            <Button variant="outline" size="sm" onClick={() => { setState(null); setEditing(true); }}>
              <Pencil aria-hidden="true" />
              Edit thresholds
            </Button>
          </CardAction>
        ) : null}
      </CardHeader>
      <CardContent className="grid gap-4">
        {state?.ok ? <Callout variant="success" title="KPI gates updated">They apply to the next registration.</Callout> : null}
        {editing ? (
          <form onSubmit={submit} className="grid gap-4" noValidate aria-label="Edit KPI gate thresholds">
            {state && !state.ok && !state.error.fields ? <Callout variant="danger">{state.error.message}</Callout> : null}
            <div className="grid gap-4 sm:grid-cols-3">
              {GATES.map((g) => (
                <Field key={g.key} label={g.label} hint={`${g.hint} (default ${defaults[g.key]})`} error={fieldError(state, g.key)}>
                  <Input type="number" inputMode="decimal" min={0} max={1} step={0.01} value={values[g.key]} onChange={(e) => setValues((v) => ({ ...v, [g.key]: e.target.value }))} />
                </Field>
              ))}
            </div>
            <div className="flex gap-2">
              <Button type="submit" loading={pending}>Save thresholds</Button>
              <Button variant="ghost" onClick={() => { setEditing(false); setState(null); setValues(Object.fromEntries(GATES.map((g) => [g.key, String(thresholds[g.key])])) as Record<keyof GateThresholds, string>); }}>
                Cancel
              </Button>
            </div>
          </form>
        ) : (
          <dl className="grid gap-3 sm:grid-cols-3">
            {GATES.map((g) => (
              <div key={g.key} className="grid gap-0.5 rounded-lg border border-border bg-subtle px-4 py-3">
                <dt className="text-xs font-medium text-muted-foreground">{g.label}</dt>
                <dd className={cn('font-mono text-lg font-semibold tabular-nums')}>≥ {thresholds[g.key].toFixed(2)}</dd>
                {thresholds[g.key] !== defaults[g.key] ? <dd className="text-xs text-muted-foreground">default {defaults[g.key].toFixed(2)}</dd> : null}
              </div>
            ))}
          </dl>
        )}
        {!editing && !canEdit && changed ? <p className="text-xs text-muted-foreground">Changed from the defaults by an admin.</p> : null}
      </CardContent>
    </Card>
  );
}
