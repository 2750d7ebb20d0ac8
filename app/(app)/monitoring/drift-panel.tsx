'use client';

import { useQuery } from '@tanstack/react-query';
import { Waves } from 'lucide-react';
import { DriftChart } from '@/components/charts/drift-chart';
import { Badge, type BadgeVariant } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { DRIFT_STATUS_LABEL, driftBars, formatPsi, PSI_ACT, PSI_WATCH, type DriftReport, type DriftStatus } from '@/lib/charts/drift';

const REFRESH_MS = 60_000;
const STATUS_BADGE: Record<DriftStatus, BadgeVariant> = { ok: 'success', watch: 'warning', act: 'danger' };
const pct = (x: number) => `${(x * 100).toFixed(x > 0 && x < 0.1 ? 1 : 0)}%`;

async function fetchDrift(deployment: string, range: string): Promise<DriftReport> {
  const res = await fetch(`/api/v1/drift?${new URLSearchParams({ deployment, range })}`, { cache: 'no-store' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return (await res.json()) as DriftReport;
}

/** Feature drift ranked by PSI, and prediction-class drift, refreshed every minute (GET /api/v1/drift). */
export function DriftPanel({ deployment, range, initial }: { deployment: string; range: string; initial: DriftReport }) {
  const { data: d } = useQuery({
    queryKey: ['drift', deployment, range],
    queryFn: () => fetchDrift(deployment, range),
    initialData: initial,
    initialDataUpdatedAt: Date.parse(initial.range.to),
    refetchInterval: REFRESH_MS,
  });
  const model = d.model ? `v${d.model.version}` : 'the serving model';
  const { bars, axisMax, ticks } = driftBars(d.features);
  const worst = bars[0];
  return (
    <Card>
      <CardHeader>
        <CardTitle>Data drift</CardTitle>
        <CardDescription>
          Population stability index (PSI) of each feature between {model}&apos;s training baskets and the last {d.range.label} of traffic. Below {PSI_WATCH}: stable; {PSI_WATCH}–{PSI_ACT}: watch; {PSI_ACT} and above: act (investigate, consider retraining).
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {d.state !== 'ok' ? (
          <EmptyState as="h3" icon={<Waves />} title={d.state === 'no-baseline' ? 'Training distribution not ready' : d.state === 'no-model' ? 'Nothing deployed' : 'No traffic to compare'} description={d.reason ?? ''} className="border-none py-8" />
        ) : (
          <>
            <p className="text-sm" aria-live="polite">
              {worst ? (
                <>
                  Largest: <strong>{worst.label}</strong> at PSI {formatPsi(worst.psi)}{' '}
                  <Badge variant={STATUS_BADGE[worst.status]} dot>{DRIFT_STATUS_LABEL[worst.status]}</Badge>
                </>
              ) : null}{' '}
              <span className="text-muted-foreground">
                Over {d.sampledCount.toLocaleString('en-US')}
                {d.sampledCount < d.recentCount ? ` sampled of ${d.recentCount.toLocaleString('en-US')}` : ''} predictions; training: {d.baselineBaskets?.toLocaleString('en-US')} baskets.
              </span>
            </p>
            {d.isLowSample ? <p className="text-xs text-warning-soft-foreground">Fewer than 200 predictions: these values are mostly sampling noise, and drift alerts wait for more.</p> : null}
            <DriftChart bars={bars} axisMax={axisMax} ticks={ticks} label={`Feature drift of ${deployment} over the last ${d.range.label}`} />
          </>
        )}
        {d.classDrift && d.classDrift.recentCount > 0 ? (
          <div className="grid gap-2 border-t border-border pt-4">
            <h3 className="text-sm font-medium">
              Prediction-class drift: PSI {formatPsi(d.classDrift.psi)}{' '}
              <Badge variant={STATUS_BADGE[d.classDrift.status]} dot>{DRIFT_STATUS_LABEL[d.classDrift.status]}</Badge>
            </h3>
            <p className="text-xs text-muted-foreground">
              Predicted class shares of {model} now against {d.classDrift.reference === 'test-predictions' ? 'its predicted shares on its test weeks' : 'the training label shares'} ({d.classDrift.recentCount.toLocaleString('en-US')} predictions).
            </p>
            <ul className="flex flex-wrap gap-x-6 gap-y-1 text-sm tabular-nums">
              {d.classDrift.classes.map((c) => (
                <li key={c.label}>
                  <span className="font-medium">{c.label}</span> {pct(c.expected)} → {pct(c.actual)}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </CardContent>
    </Card>
  );
}
