'use client';

import * as React from 'react';
import Link from 'next/link';
import { ConfusionMatrix } from '@/components/charts/confusion-matrix';
import { GroupedBarChart } from '@/components/charts/grouped-bar-chart';
import { LearningCurveChart } from '@/components/charts/learning-curve-chart';
import { ParallelCoordinates } from '@/components/charts/parallel-coordinates';
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Select } from '@/components/ui/select';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { compareParams, normaliseConfusion, overlayCurves, parallelCoordinates, perClassBars, pickOverlayKey, runColor } from '@/lib/charts/runs';
import { formatDuration } from '@/lib/datasets/format';
import { cn } from '@/lib/utils';
import { algorithmLabel, formatMetric, formatUsd, RunStatusBadge } from '../_components/run-status';
import type { Curves, RunView } from '../_components/types';

const LOG_PARAMS = ['C', 'tol', 'learningRate'];
const METRICS = { macro_f1: 'Macro F1', accuracy: 'Accuracy' } as const;

/** Runs side by side: the table (differing parameters marked), then overlaid and per-run charts. */
export function CompareView({ runs, curves }: { runs: RunView[]; curves: Record<string, Curves> }) {
  const [metric, setMetric] = React.useState<keyof typeof METRICS>('macro_f1');
  const colors = Object.fromEntries(runs.map((r, i) => [r.id, runColor(i)]));
  const short = (r: RunView) => `#${r.number}`;
  const paramRows = compareParams(runs.map((r) => r.params));
  const differing = paramRows.filter((p) => p.differs).length;
  const overlayKey = pickOverlayKey(runs.map((r) => curves[r.id] ?? {}));
  const overlay = overlayKey ? overlayCurves(runs.map((r) => ({ id: r.id, curves: curves[r.id] ?? {} })), overlayKey) : [];
  const finished = runs.filter((r) => r.metrics);
  const labels = finished[0]?.metrics?.confusion_matrix.labels ?? ['LA', 'MM', 'UM'];
  const pc = parallelCoordinates(
    runs.map((r) => ({ id: r.id, label: short(r), params: r.params, metric: r.metrics ? r.metrics[metric] : null })),
    { metricName: METRICS[metric], logParams: LOG_PARAMS },
  );
  const metricRows: { label: string; value: (r: RunView) => React.ReactNode; best?: (r: RunView) => number | null; higher?: boolean }[] = [
    { label: 'Status', value: (r) => <RunStatusBadge status={r.status} /> },
    { label: 'Algorithm', value: (r) => algorithmLabel(r.algorithm) },
    { label: 'Dataset', value: (r) => <span className="font-mono text-[13px]">{r.dataset.label}</span> },
    { label: 'Accuracy', value: (r) => formatMetric(r.metrics?.accuracy), best: (r) => r.metrics?.accuracy ?? null, higher: true },
    { label: 'Macro F1', value: (r) => formatMetric(r.metrics?.macro_f1), best: (r) => r.metrics?.macro_f1 ?? null, higher: true },
    { label: 'Weighted F1', value: (r) => formatMetric(r.metrics?.weighted_f1), best: (r) => r.metrics?.weighted_f1 ?? null, higher: true },
    { label: 'Log loss', value: (r) => formatMetric(r.metrics?.log_loss), best: (r) => r.metrics?.log_loss ?? null, higher: false },
    { label: 'Duration', value: (r) => formatDuration(r.durationMs) },
    { label: 'Est. cost', value: (r) => formatUsd(r.costUsd) },
    { label: 'Seed', value: (r) => <span className="font-mono">{r.seed}</span> },
  ];
  const bestOf = (row: (typeof metricRows)[number]) => {
    if (!row.best || runs.length < 2) return null;
    const values = runs.map((r) => row.best!(r)).filter((v): v is number => v !== null);
    if (!values.length) return null;
    return row.higher ? Math.max(...values) : Math.min(...values);
  };

  return (
    <div className="grid gap-6">
      <Card className="pb-0">
        <CardHeader>
          <CardTitle>Side by side</CardTitle>
          <CardDescription>
            {differing ? `${differing} parameter${differing === 1 ? '' : 's'} differ${differing === 1 ? 's' : ''} between these runs (highlighted).` : 'All parameters are the same.'} The best value of each metric is in bold.
          </CardDescription>
        </CardHeader>
        <Table aria-label="Runs compared">
          <THead>
            <TR>
              <TH className="w-48">Run</TH>
              {runs.map((r) => (
                <TH key={r.id} scope="col">
                  <Link href={`/runs/${r.id}`} className="inline-flex items-center gap-1.5 text-foreground hover:underline">
                    <span className="size-2.5 rounded-full" style={{ background: colors[r.id] }} aria-hidden="true" />
                    <span className="font-mono">#{r.number}</span>
                    <span className="max-w-[14rem] truncate font-normal text-muted-foreground">{r.name}</span>
                  </Link>
                </TH>
              ))}
            </TR>
          </THead>
          <TBody>
            {metricRows.map((row) => {
              const best = bestOf(row);
              return (
                <TR key={row.label}>
                  <TH scope="row" className="static bg-transparent text-foreground">{row.label}</TH>
                  {runs.map((r) => (
                    <TD key={r.id} className={cn('tabular-nums', best !== null && row.best!(r) === best && 'font-semibold text-success-soft-foreground')}>{row.value(r)}</TD>
                  ))}
                </TR>
              );
            })}
            <TR>
              <TD colSpan={runs.length + 1} className="bg-subtle py-1.5 text-xs font-medium text-muted-foreground">Parameters</TD>
            </TR>
            {paramRows.map((p) => (
              <TR key={p.name} data-differs={p.differs || undefined} className={cn(p.differs && 'bg-warning-soft/60 [tbody>&]:hover:bg-warning-soft')}>
                <TH scope="row" className={cn('static bg-transparent font-mono text-[13px] font-normal', p.differs ? 'text-warning-soft-foreground' : 'text-muted-foreground')}>
                  {p.name}
                  {p.differs ? <span className="sr-only"> (differs)</span> : null}
                </TH>
                {p.values.map((v, i) => (
                  <TD key={runs[i]!.id} className={cn('font-mono text-[13px]', p.differs && 'font-semibold')}>{v}</TD>
                ))}
              </TR>
            ))}
          </TBody>
        </Table>
      </Card>

      <div className={cn('grid gap-6', overlay.length > 0 && 'lg:grid-cols-2')}>
        {overlay.length ? (
        <Card>
          <CardHeader>
            <CardTitle>Learning curves</CardTitle>
            <CardDescription>{`${overlayKey?.replace('_', ' ')} per iteration, one line per run.`}</CardDescription>
          </CardHeader>
          <CardContent>
            {overlay.length ? (
              <LearningCurveChart data={overlay} series={runs.map((r) => ({ key: r.id, label: short(r), color: colors[r.id]! }))} label={`${overlayKey} by run`} />
            ) : null}
          </CardContent>
        </Card>
        ) : null}
        <Card>
          <CardHeader>
            <CardTitle>F1 per class</CardTitle>
            <CardDescription>One bar per run for each class.</CardDescription>
          </CardHeader>
          <CardContent>
            <GroupedBarChart
              data={perClassBars(runs.map((r) => ({ id: r.id, perClass: r.metrics?.per_class ?? null })), labels)}
              categoryKey="label"
              series={runs.map((r) => ({ key: r.id, label: short(r), color: colors[r.id]! }))}
              label="F1 per class and run"
              height={260}
            />
          </CardContent>
        </Card>
      </div>

      <Card>
        <CardHeader>
          <CardTitle>Parameters against {METRICS[metric]}</CardTitle>
          <CardDescription>Parallel coordinates: each numeric parameter that varies is an axis (learning rate and C on a log scale), the metric is the last. Hover a line to single out a run.</CardDescription>
          <CardAction>
            <Select aria-label="Metric" value={metric} onChange={(e) => setMetric(e.target.value as keyof typeof METRICS)} containerClassName="w-36">
              {Object.entries(METRICS).map(([k, v]) => (
                <option key={k} value={k}>{v}</option>
              ))}
            </Select>
          </CardAction>
        </CardHeader>
        <CardContent>
          {pc.axes.length > 1 ? (
            <ParallelCoordinates axes={pc.axes} lines={pc.lines} colors={colors} />
          ) : (
            <p className="text-sm text-muted-foreground">No numeric parameter differs between these runs, so there is nothing to relate to the metric.</p>
          )}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Confusion matrices</CardTitle>
          <CardDescription>Rows: true class; columns: predicted; shading: share of the row.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-6 sm:grid-cols-2 xl:grid-cols-3">
          {runs.map((r) => (
            <div key={r.id} className="grid gap-2">
              <p className="flex items-center gap-1.5 text-sm font-medium">
                <span className="size-2.5 rounded-full" style={{ background: colors[r.id] }} aria-hidden="true" />#{r.number}
              </p>
              {r.metrics ? (
                <ConfusionMatrix compact view={normaliseConfusion(r.metrics.confusion_matrix.labels, r.metrics.confusion_matrix.matrix)} caption={`Confusion matrix of run #${r.number}`} />
              ) : (
                <p className="text-sm text-muted-foreground">No result ({r.status}).</p>
              )}
            </div>
          ))}
        </CardContent>
      </Card>
    </div>
  );
}
