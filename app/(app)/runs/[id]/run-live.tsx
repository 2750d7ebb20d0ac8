'use client';

import * as React from 'react';
import Link from 'next/link';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { LearningCurveChart } from '@/components/charts/learning-curve-chart';
import { Callout } from '@/components/ui/callout';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { mergeCurvesByStep } from '@/lib/charts/runs';
import { formatDuration } from '@/lib/datasets/format';
import { cn } from '@/lib/utils';
import { ProgressBar } from '../../datasets/_components/progress-bar';
import { algorithmLabel, formatEta, isTerminal, RunStatusBadge } from '../_components/run-status';
import type { Curves, LogLine, RunView } from '../_components/types';
import { RunActions } from './run-actions';
import { RunDetails } from './run-details';
import { RunLogs } from './run-logs';
import { RunResult } from './run-result';

const CURVE_SERIES = [
  { key: 'train_loss', label: 'Train loss', color: 'var(--color-primary)' },
  { key: 'validation_loss', label: 'Validation loss', color: 'var(--color-warning)', dashed: true },
];

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { cache: 'no-store' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return (await res.json()) as T;
}

/**
 * The run page, live: the run is re-read every 1.5 s and its curves every 2 s while
 * it is queued or running; both stop once it has ended (and the curves are read once
 * more, for the last points).
 */
export function RunLive({ initial, initialCurves, initialLogs, canWrite }: { initial: RunView; initialCurves: Curves; initialLogs: { logs: LogLine[]; cursor: string | null }; canWrite: boolean }) {
  const queryClient = useQueryClient();
  const { data: run, isError } = useQuery({
    queryKey: ['run', initial.id],
    queryFn: () => getJson<RunView>(`/api/v1/runs/${encodeURIComponent(initial.id)}`),
    initialData: initial,
    staleTime: 0,
    refetchInterval: (q) => (isTerminal(q.state.data?.status ?? 'queued') ? false : 1500),
  });
  const live = !isTerminal(run.status);
  const { data: curves } = useQuery({
    queryKey: ['run-curves', initial.id],
    queryFn: async () => (await getJson<Record<string, Curves>>(`/api/v1/runs/${encodeURIComponent(initial.id)}/curves`))[initial.id] ?? {},
    initialData: initialCurves,
    staleTime: 0,
    refetchInterval: live ? 2000 : false,
  });
  const wasLive = React.useRef(live);
  React.useEffect(() => {
    if (wasLive.current !== live) void queryClient.invalidateQueries({ queryKey: ['run-curves', initial.id] });
    wasLive.current = live;
  }, [live, queryClient, initial.id]);

  const curveData = mergeCurvesByStep(curves, CURVE_SERIES.map((s) => s.key));
  // A finished model without iterations (a single tree) has no curve: the log takes the row.
  const showCurves = live || curveData.length > 0;
  const pct = Math.round(run.progress * 100);
  const eta = formatEta(run.etaSeconds);

  return (
    <>
      <PageHeader
        breadcrumbs={[{ label: 'Training runs', href: '/runs' }, ...(run.sweep ? [{ label: run.sweep.name, href: `/runs/sweeps/${run.sweep.id}` }] : []), { label: `#${run.number}` }]}
        title={
          <>
            <span className="mr-2 font-mono text-muted-foreground">#{run.number}</span>
            {run.name}
          </>
        }
        meta={<RunStatusBadge status={run.status} cancelling={Boolean(run.cancelRequestedAt)} />}
        description={
          <>
            {algorithmLabel(run.algorithm)} on{' '}
            <Link href={`/datasets/${encodeURIComponent(run.dataset.name)}/versions/${run.dataset.versionId}`} className="font-mono hover:underline">
              {run.dataset.label}
            </Link>
            {run.createdBy ? <> · launched by {run.createdBy}</> : null}
          </>
        }
        actions={canWrite ? <RunActions runId={run.id} number={run.number} status={run.status} cancelRequested={Boolean(run.cancelRequestedAt)} /> : null}
      />
      {isError ? <p className="mb-4 text-xs text-danger-soft-foreground">Lost contact with the server; retrying…</p> : null}

      <div className="grid gap-6">
        {live ? (
          <Card aria-labelledby="run-progress-title">
            <CardHeader>
              <CardTitle id="run-progress-title">{run.status === 'queued' ? 'Waiting for a worker' : 'Training'}</CardTitle>
              <CardDescription aria-live="polite">{run.status === 'queued' ? 'Queued: it starts when a worker is free.' : (run.stage ?? 'starting')}</CardDescription>
            </CardHeader>
            <CardContent className="grid gap-1.5">
              <ProgressBar value={run.progress} label="Run progress" valueText={`${pct}% — ${run.stage ?? run.status}`} />
              <div className="flex justify-between text-xs text-muted-foreground tabular-nums">
                <span>{pct}%</span>
                <span>{eta ?? ''}</span>
              </div>
            </CardContent>
          </Card>
        ) : null}

        {run.status === 'failed' ? (
          <Callout variant="danger" title={`Run #${run.number} failed${run.durationMs ? ` after ${formatDuration(run.durationMs)}` : ''}`}>
            <pre className="font-mono text-xs whitespace-pre-wrap">{run.error ?? 'No error message was recorded; see the log below.'}</pre>
          </Callout>
        ) : null}
        {run.status === 'cancelled' ? <Callout variant="warning" title={`Run #${run.number} was cancelled`}>Nothing was recorded as a result. Retry runs it again with the same configuration.</Callout> : null}

        {run.status === 'succeeded' ? <RunResult run={run} /> : null}

        <div className={cn('grid gap-6', showCurves && 'lg:grid-cols-2')}>
          {showCurves ? (
          <Card>
            <CardHeader>
              <CardTitle>Learning curves</CardTitle>
              <CardDescription>Loss per iteration on the training rows and the held-out validation rows.</CardDescription>
            </CardHeader>
            <CardContent>
              {curveData.length ? (
                <LearningCurveChart data={curveData} series={CURVE_SERIES.filter((s) => curveData.some((r) => r[s.key] !== null))} />
              ) : (
                <p className="flex h-[260px] items-center justify-center rounded-md border border-dashed border-border text-sm text-muted-foreground">
                  {live ? 'Curves appear once training starts iterating.' : 'This run recorded no learning curve.'}
                </p>
              )}
            </CardContent>
          </Card>
          ) : null}
          <Card>
            <CardHeader>
              <CardTitle>Log</CardTitle>
              <CardDescription>{live ? 'Streaming.' : run.status === 'failed' ? 'The last lines explain the failure.' : 'Complete.'}</CardDescription>
            </CardHeader>
            <CardContent>
              <RunLogs runId={run.id} initial={initialLogs} live={live} />
            </CardContent>
          </Card>
        </div>

        <RunDetails run={run} />
      </div>
    </>
  );
}
