import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { GitCompare, Trophy } from 'lucide-react';
import { MetricByRunChart } from '@/components/charts/metric-by-run-chart';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { Stat } from '@/components/ui/stat';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { compareParams, formatParam } from '@/lib/charts/runs';
import { formatDuration } from '@/lib/datasets/format';
import { roleCan } from '@/lib/permissions';
import { cn, formatDateTime } from '@/lib/utils';
import { pageContext } from '@/server/auth/session';
import { AppError } from '@/server/errors';
import { getSweep } from '@/server/services/runs/sweeps';
import { ProgressBar } from '../../../datasets/_components/progress-bar';
import { algorithmLabel, formatMetric, RunStatusBadge } from '../../_components/run-status';
import { CancelSweepButton, SweepAutoRefresh } from './sweep-controls';

export const metadata: Metadata = { title: 'Sweep' };

function describeDim(dim: unknown) {
  if (Array.isArray(dim)) return dim.map((v) => formatParam(v as string | number | boolean)).join(', ');
  const r = dim as { min: number; max: number; log?: boolean };
  return `${r.min} – ${r.max}${r.log ? ' (log)' : ''}`;
}

export default async function SweepPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const ctx = await pageContext();
  let sweep;
  try {
    sweep = await getSweep(ctx, id);
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') notFound();
    throw error;
  }
  const canWrite = ctx.actor.kind === 'user' && roleCan(ctx.actor.role, 'runs:write');
  const key = sweep.metric === 'accuracy' ? 'accuracy' : 'macroF1';
  const metricLabel = sweep.metric === 'accuracy' ? 'Accuracy' : 'Macro F1';
  const count = (s: string) => sweep.runs.filter((r) => r.status === s).length;
  const done = count('succeeded') + count('failed') + count('cancelled');
  const active = sweep.status === 'running' || sweep.status === 'queued';
  const searched = Object.keys(sweep.space);
  const varying = compareParams(sweep.runs.map((r) => r.params)).filter((p) => p.differs || searched.includes(p.name)).map((p) => p.name);
  const best = sweep.runs.find((r) => r.id === sweep.bestRunId) ?? null;
  const ranked = sweep.runs.filter((r) => r.status === 'succeeded' && r[key] !== null).sort((a, b) => b[key]! - a[key]!);
  const compareTop = ranked.slice(0, 4).map((r) => r.id);

  return (
    <>
      <SweepAutoRefresh active={active} />
      <PageHeader
        breadcrumbs={[{ label: 'Training runs', href: '/runs' }, { label: 'Sweeps', href: '/runs?tab=sweeps' }, { label: sweep.name }]}
        title={sweep.name}
        meta={<RunStatusBadge status={sweep.status} />}
        description={`${sweep.strategy === 'grid' ? 'Grid' : 'Random'} search of ${algorithmLabel(sweep.algorithm)} on ${sweep.dataset.label} · started ${formatDateTime(sweep.createdAt)}${sweep.createdBy ? ` by ${sweep.createdBy}` : ''}`}
        actions={
          <>
            {compareTop.length >= 2 ? (
              <Button asChild variant="outline">
                <Link href={`/runs/compare?ids=${compareTop.join(',')}`}>
                  <GitCompare aria-hidden="true" />
                  Compare top {compareTop.length}
                </Link>
              </Button>
            ) : null}
            {canWrite && active ? <CancelSweepButton sweepId={sweep.id} /> : null}
          </>
        }
      />
      <div className="grid gap-6">
        <section aria-label="Sweep progress" className="grid grid-cols-2 gap-3 md:grid-cols-4">
          <Stat label="Runs finished" value={`${done} / ${sweep.runs.length}`} hint={`${count('running')} running · ${count('queued')} queued`} />
          <Stat label="Succeeded" value={count('succeeded')} hint={`${count('failed')} failed · ${count('cancelled')} cancelled`} />
          <Stat label={`Best ${metricLabel}`} value={formatMetric(best?.[key])} hint={best ? `run #${best.number}` : 'no finished run yet'} />
          <Stat label="Concurrency" value={sweep.concurrency} hint={`budget ${sweep.budget}`} />
        </section>
        {active ? <ProgressBar value={sweep.runs.length ? done / sweep.runs.length : 0} label="Sweep progress" valueText={`${done} of ${sweep.runs.length} runs finished`} /> : null}
        {best ? (
          <Callout variant="success" title={`Best so far: run #${best.number}, ${metricLabel} ${formatMetric(best[key])}`}>
            <Link href={`/runs/${best.id}`}>Open run #{best.number}</Link> · {varying.map((n) => `${n} = ${formatParam(best.params[n])}`).join(', ')}
          </Callout>
        ) : null}

        <div className="grid gap-6 lg:grid-cols-[1fr_1.4fr]">
          <Card>
            <CardHeader>
              <CardTitle>Search space</CardTitle>
              <CardDescription>Metric: {metricLabel}.</CardDescription>
            </CardHeader>
            <CardContent>
              <dl className="grid gap-2 text-sm">
                {Object.entries(sweep.space).map(([name, dim]) => (
                  <div key={name} className="flex justify-between gap-4">
                    <dt className="font-mono text-[13px] text-muted-foreground">{name}</dt>
                    <dd className="text-right font-mono text-[13px]">{describeDim(dim)}</dd>
                  </div>
                ))}
                {Object.keys(sweep.baseParams).length ? <p className="mt-2 text-xs text-muted-foreground">Fixed: {Object.entries(sweep.baseParams).map(([k, v]) => `${k}=${formatParam(v)}`).join(', ')}</p> : null}
              </dl>
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>{metricLabel} per run</CardTitle>
              <CardDescription>Finished runs; the best in green.</CardDescription>
            </CardHeader>
            <CardContent>
              {ranked.length ? (
                <MetricByRunChart data={sweep.runs.filter((r) => r[key] !== null).map((r) => ({ id: r.id, label: `#${r.number}`, value: r[key]! }))} metricLabel={metricLabel} bestId={sweep.bestRunId} />
              ) : (
                <p className="flex h-[220px] items-center justify-center rounded-md border border-dashed border-border text-sm text-muted-foreground">Results appear as runs finish.</p>
              )}
            </CardContent>
          </Card>
        </div>

        <div className="overflow-hidden rounded-lg border border-border bg-card shadow-xs">
          <Table aria-label="Runs of the sweep">
            <THead>
              <TR>
                <TH>Run</TH>
                <TH>Status</TH>
                {varying.map((n) => (
                  <TH key={n} numeric className="font-mono">{n}</TH>
                ))}
                <TH numeric>Accuracy</TH>
                <TH numeric>Macro F1</TH>
                <TH numeric>Duration</TH>
              </TR>
            </THead>
            <TBody>
              {sweep.runs.map((r) => {
                const isBest = r.id === sweep.bestRunId;
                return (
                  <TR key={r.id} className={cn(isBest && 'bg-success-soft/60')}>
                    <TD>
                      <Link href={`/runs/${r.id}`} className="font-mono font-medium hover:underline">#{r.number}</Link>
                      {isBest ? (
                        <Badge variant="success" className="ml-2">
                          <Trophy aria-hidden="true" />
                          best
                        </Badge>
                      ) : null}
                    </TD>
                    <TD>
                      <div className="grid w-28 gap-1">
                        <RunStatusBadge status={r.status} />
                        {r.status === 'running' ? <ProgressBar value={r.progress} size="sm" label={`Run #${r.number} progress`} /> : null}
                      </div>
                    </TD>
                    {varying.map((n) => (
                      <TD key={n} numeric className="font-mono text-[13px]">{formatParam(r.params[n])}</TD>
                    ))}
                    <TD numeric className={cn(key === 'accuracy' && 'font-medium')}>{formatMetric(r.accuracy)}</TD>
                    <TD numeric className={cn(key === 'macroF1' && 'font-medium')}>{formatMetric(r.macroF1)}</TD>
                    <TD numeric className="text-muted-foreground">{formatDuration(r.durationMs)}</TD>
                  </TR>
                );
              })}
            </TBody>
          </Table>
        </div>
      </div>
    </>
  );
}
