'use client';

import * as React from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { BellRing } from 'lucide-react';
import { Badge, type BadgeVariant } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { formatAlertValue, type AlertRuleView, type AlertsResponse, type AlertState } from '@/lib/alerts';
import { cn, formatDateTime, formatRelative } from '@/lib/utils';
import { evaluateAlertsNowAction, updateAlertRuleAction } from './alert-actions';
import { AlertRuleEditor } from './alert-rule-editor';

const REFRESH_MS = 30_000;

const STATE: Record<AlertState, { label: string; variant: BadgeVariant }> = {
  firing: { label: 'Firing', variant: 'danger' },
  ok: { label: 'OK', variant: 'success' },
  'no-data': { label: 'No data', variant: 'neutral' },
  pending: { label: 'Not evaluated yet', variant: 'neutral' },
  disabled: { label: 'Disabled', variant: 'outline' },
};

async function fetchAlerts(deployment: string): Promise<AlertsResponse> {
  const res = await fetch(`/api/v1/alerts?${new URLSearchParams({ deployment })}`, { cache: 'no-store' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return (await res.json()) as AlertsResponse;
}

/** The deployment's (and the platform's) alert rules with state and value, and the firing/resolution history. */
export function AlertsPanel({ deployment, initial, canWrite }: { deployment: string; initial: AlertsResponse; canWrite: boolean }) {
  const queryClient = useQueryClient();
  const key = ['alerts', deployment];
  const { data } = useQuery({ queryKey: key, queryFn: () => fetchAlerts(deployment), initialData: initial, refetchInterval: REFRESH_MS });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: key });
  const evaluatedAt = data.rules.map((r) => r.evaluatedAt).find(Boolean);

  return (
    <>
      <Card>
        <CardHeader>
          <CardTitle>Alert rules</CardTitle>
          <CardDescription>
            Evaluated every minute by the worker{evaluatedAt ? ` (last ${formatRelative(evaluatedAt)})` : ''}. A rule fires once when its condition holds, resolves when it clears, and calls its webhook both times; with too little traffic in the window it does neither.
          </CardDescription>
          {canWrite ? (
            <CardAction>
              <EvaluateNowButton onDone={refresh} />
            </CardAction>
          ) : null}
        </CardHeader>
        <CardContent>
          <Table>
            <THead>
              <TR>
                <TH>Rule</TH>
                <TH>State</TH>
                <TH numeric>Now</TH>
                <TH>Webhook</TH>
                {canWrite ? <TH><span className="sr-only">Actions</span></TH> : null}
              </TR>
            </THead>
            <TBody>
              {data.rules.map((r) => (
                <TR key={r.id} data-testid={`alert-rule-${r.kind}`}>
                  <TD>
                    <div className="font-medium">{r.name}</div>
                    <div className="text-xs text-muted-foreground">{r.condition}</div>
                  </TD>
                  <TD>
                    <Badge variant={STATE[r.state].variant} dot>{STATE[r.state].label}</Badge>
                    {r.openEvent ? <div className="mt-1 text-xs text-muted-foreground">since {formatRelative(r.openEvent.firedAt)}</div> : null}
                  </TD>
                  <TD numeric>
                    <div>{formatAlertValue(r.kind, r.value)}</div>
                    {r.note ? <div className="max-w-64 text-xs whitespace-normal text-muted-foreground">{r.note}</div> : null}
                  </TD>
                  <TD className="text-xs">{r.webhookUrl ? <span title={r.webhookUrl}>{new URL(r.webhookUrl).host}</span> : <span className="text-muted-foreground">none</span>}</TD>
                  {canWrite ? (
                    <TD>
                      <div className="flex justify-end gap-1">
                        <AlertRuleEditor rule={r} onSaved={refresh} />
                        <ToggleButton rule={r} onDone={refresh} />
                      </div>
                    </TD>
                  ) : null}
                </TR>
              ))}
            </TBody>
          </Table>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Alert history</CardTitle>
          <CardDescription>Firings and resolutions of {deployment}&apos;s rules and the platform&apos;s, newest first, with what their webhooks answered.</CardDescription>
        </CardHeader>
        <CardContent>
          {data.history.length === 0 ? (
            <EmptyState as="h3" icon={<BellRing />} title="No alerts so far" description="When a rule fires, it is listed here until long after it resolves." className="border-none py-8" />
          ) : (
            <ul className="divide-y divide-border text-sm">
              {data.history.map((e) => (
                <li key={e.id} className="grid gap-1 py-2">
                  <div className="flex flex-wrap items-center gap-2">
                    <Badge variant={e.state === 'firing' ? 'danger' : 'success'} dot>{e.state === 'firing' ? 'Firing' : 'Resolved'}</Badge>
                    <span className="font-medium">{e.ruleName}</span>
                    <span className="text-xs text-muted-foreground">
                      fired {formatDateTime(e.firedAt)}
                      {e.resolvedAt ? ` · resolved ${formatDateTime(e.resolvedAt)}` : ''}
                    </span>
                  </div>
                  <p className="text-muted-foreground">{e.message}</p>
                  {e.notifyError ? (
                    <p className="text-xs text-danger-soft-foreground">Webhook failed: {e.notifyError}</p>
                  ) : e.notifiedAt ? (
                    <p className="text-xs text-muted-foreground">Webhook notified {formatRelative(e.notifiedAt)}</p>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>
    </>
  );
}

function ToggleButton({ rule, onDone }: { rule: AlertRuleView; onDone: () => void }) {
  const [pending, startTransition] = React.useTransition();
  const [error, setError] = React.useState<string | null>(null);
  return (
    <>
      <Button
        variant="ghost"
        size="sm"
        loading={pending}
        aria-label={`${rule.isEnabled ? 'Disable' : 'Enable'} ${rule.name}`}
        onClick={() =>
          startTransition(async () => {
            const result = await updateAlertRuleAction(rule.id, { isEnabled: !rule.isEnabled });
            setError(result?.ok ? null : (result?.error.message ?? 'Could not change the rule.'));
            if (result?.ok) onDone();
          })
        }
      >
        {rule.isEnabled ? 'Disable' : 'Enable'}
      </Button>
      {error ? <span className="text-xs text-danger-soft-foreground">{error}</span> : null}
    </>
  );
}

/** Runs the minute evaluation now (after a threshold change, no waiting for the worker) and says what it did. */
function EvaluateNowButton({ onDone }: { onDone: () => void }) {
  const [pending, startTransition] = React.useTransition();
  const [outcome, setOutcome] = React.useState<{ ok: boolean; text: string } | null>(null);
  return (
    <div className="flex flex-col items-end gap-1">
      <Button
        variant="outline"
        size="sm"
        loading={pending}
        onClick={() =>
          startTransition(async () => {
            const result = await evaluateAlertsNowAction();
            setOutcome(result?.ok ? { ok: true, text: result.data.message } : { ok: false, text: result?.error.message ?? 'Could not evaluate the rules.' });
            if (result?.ok) onDone();
          })
        }
      >
        Evaluate now
      </Button>
      <p role="status" className={cn('max-w-64 text-right text-xs', outcome?.ok === false ? 'text-danger-soft-foreground' : 'text-muted-foreground')} data-testid="alert-evaluation-outcome">
        {outcome?.text}
      </p>
    </div>
  );
}
