'use client';

import * as React from 'react';
import { Check, X } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { Textarea } from '@/components/ui/textarea';
import { fieldError, type ActionState } from '@/lib/action-result';
import { decideModelAction } from '../actions';

type Decision = 'approve' | 'reject';

/**
 * Approve or reject a pending version. The server enforces every rule (four-eyes,
 * comment, override reason for a failed gate); this panel explains them up front
 * and shows the server's answer next to the field it concerns.
 */
export function ApprovalPanel({ modelId, label, failedGates, trainedByMe, runNumber }: { modelId: string; label: string; failedGates: string[]; trainedByMe: boolean; runNumber: number }) {
  const [comment, setComment] = React.useState('');
  const [overrideReason, setOverrideReason] = React.useState('');
  const [state, setState] = React.useState<ActionState<{ status: string; override: boolean }>>(null);
  const [pending, setPending] = React.useState<Decision | null>(null);
  const [, startTransition] = React.useTransition();
  const gatesFail = failedGates.length > 0;

  const decide = (decision: Decision) => {
    setPending(decision);
    startTransition(async () => {
      const input = { decision, comment, ...(decision === 'approve' && gatesFail && overrideReason.trim() ? { overrideReason } : {}) };
      const result = await decideModelAction(modelId, input);
      setState(result);
      setPending(null);
    });
  };
  const error = state && !state.ok ? state.error : null;
  const fieldsShown = ['comment', 'overrideReason'];
  const generalError = error && !(error.fields ?? []).some((f) => fieldsShown.includes(f.field)) ? error.message : null;

  return (
    <Card aria-labelledby="decision-title">
      <CardHeader>
        <CardTitle id="decision-title">Decide on {label}</CardTitle>
        <CardDescription>Approving allows it to be deployed. Your decision and comment go on its timeline and in the audit log.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {state?.ok ? <Callout variant="success" title={state.data.status === 'Approved' ? `${label} approved` : `${label} rejected`} /> : null}
        {trainedByMe ? (
          <Callout variant="warning" title="You trained this version">
            Run #{runNumber} is yours, so the four-eyes rule asks another approver to decide on it.
          </Callout>
        ) : null}
        {gatesFail ? (
          <Callout variant="danger" title={`Fails ${failedGates.length === 1 ? 'a KPI gate' : `${failedGates.length} KPI gates`}: ${failedGates.join(', ')}`}>
            It can still be approved, with a written reason for the exception.
          </Callout>
        ) : null}
        {generalError ? (
          <p role="alert" className="rounded-lg border border-danger-border bg-danger-soft px-3 py-2 text-sm text-danger-soft-foreground">
            {generalError}
          </p>
        ) : null}
        <Field label="Comment" required hint="Why you decide so (at least 3 characters)." error={fieldError(state, 'comment')}>
          <Textarea rows={3} value={comment} onChange={(e) => setComment(e.target.value)} maxLength={2000} />
        </Field>
        {gatesFail ? (
          <Field label="Override reason" hint="Required to approve despite the failed gates (at least 10 characters): what makes this version acceptable anyway. Not needed to reject." error={fieldError(state, 'overrideReason')}>
            <Textarea rows={3} value={overrideReason} onChange={(e) => setOverrideReason(e.target.value)} maxLength={2000} />
          </Field>
        ) : null}
        <div className="flex flex-wrap gap-2">
          <Button onClick={() => decide('approve')} loading={pending === 'approve'} disabled={pending !== null}>
            {pending === 'approve' ? null : <Check aria-hidden="true" />}
            {gatesFail ? 'Approve with override' : 'Approve'}
          </Button>
          <Button variant="outline" className="text-danger-soft-foreground" onClick={() => decide('reject')} loading={pending === 'reject'} disabled={pending !== null}>
            {pending === 'reject' ? null : <X aria-hidden="true" />}
            Reject
          </Button>
        </div>
      </CardContent>
    </Card>
  );
}
