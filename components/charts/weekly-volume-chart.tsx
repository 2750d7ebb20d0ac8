'use client';

import * as React from 'react';
import { Bar, BarChart, CartesianGrid, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatAxis, formatInt, formatNumber, formatWeek } from '@/lib/datasets/format';
import { GRID_COLOR, LABEL_ORDER, LABEL_STYLES, SERIES_COLOR } from '@/lib/charts/labels';
import type { WeeklyMetric, WeeklyVolume, WeekPoint } from '@/lib/charts/weekly-volume';
import { cn } from '@/lib/utils';
import { AXIS_TICK, ChartTooltipCard } from './chart-tooltip';
import { ChartDataTable } from './chart-data-table';

const METRICS: { key: WeeklyMetric; label: string }[] = [
  { key: 'baskets', label: 'Baskets by label' },
  { key: 'rows', label: 'Rows' },
  { key: 'spend', label: 'Spend' },
];

export type WeeklyVolumeChartProps = {
  points: WeekPoint[];
  missingWeeks: number[];
  /** Mean and peak per metric (prepared with prepareWeeklyVolume). */
  summaries: Record<WeeklyMetric, Pick<WeeklyVolume, 'mean' | 'peak'>>;
  height?: number;
};

const formatMetric = (metric: WeeklyMetric, value: number) => (metric === 'spend' ? `£${formatNumber(value, 0)}` : formatInt(value));

/** Volume per shop week: baskets stacked by label, or rows, or spend; missing weeks stay visible as gaps. */
export function WeeklyVolumeChart({ points, missingWeeks, summaries, height = 260 }: WeeklyVolumeChartProps) {
  const [metric, setMetric] = React.useState<WeeklyMetric>('baskets');
  const summary = summaries[metric];
  return (
    <div className="grid gap-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div role="group" aria-label="Measure" className="inline-flex rounded-lg border border-border bg-subtle p-0.5">
          {METRICS.map((m) => (
            <button
              key={m.key}
              type="button"
              aria-pressed={metric === m.key}
              onClick={() => setMetric(m.key)}
              className={cn(
                'h-7 rounded-md px-2.5 text-xs font-medium transition-colors focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none',
                metric === m.key ? 'bg-card text-foreground shadow-xs' : 'text-muted-foreground hover:text-foreground',
              )}
            >
              {m.label}
            </button>
          ))}
        </div>
        <p className="text-xs text-muted-foreground tabular-nums">
          mean {formatMetric(metric, summary.mean)} / week
          {summary.peak ? ` · peak ${formatMetric(metric, summary.peak.value)} in ${formatWeek(summary.peak.week)}` : ''}
        </p>
      </div>
      {/* Crisp edges: ~100 thin bars on a phone otherwise blur into washed-out stripes. */}
      <div aria-hidden="true" style={{ height }} className="[&_path.recharts-rectangle]:[shape-rendering:crispEdges]">
        <ResponsiveContainer width="100%" height={height}>
          <BarChart data={points} margin={{ top: 8, right: 4, bottom: 0, left: 0 }} barCategoryGap="12%">
            <CartesianGrid vertical={false} stroke={GRID_COLOR} strokeDasharray="3 3" />
            <XAxis dataKey="label" tickLine={false} axisLine={{ stroke: GRID_COLOR }} tick={AXIS_TICK} minTickGap={24} />
            <YAxis tickLine={false} axisLine={false} tick={AXIS_TICK} width={44} tickFormatter={(v: number) => (metric === 'spend' ? `£${formatAxis(v)}` : formatAxis(v))} />
            {summary.mean > 0 ? <ReferenceLine y={summary.mean} stroke="var(--color-muted-foreground)" strokeDasharray="4 4" strokeOpacity={0.6} /> : null}
            <Tooltip
              cursor={{ fill: 'var(--color-muted)', opacity: 0.7 }}
              content={({ active, payload }) => {
                const p = active ? (payload?.[0]?.payload as WeekPoint | undefined) : undefined;
                if (!p) return null;
                if (p.isGap) return <ChartTooltipCard title={p.label} rows={[{ name: 'no data', value: 'file missing', muted: true }]} />;
                const rows =
                  metric === 'baskets'
                    ? [...LABEL_ORDER].reverse().map((l) => ({ name: l, value: formatInt(p[l]), color: LABEL_STYLES[l].color }))
                    : [{ name: metric, value: formatMetric(metric, p[metric]), color: SERIES_COLOR }];
                return <ChartTooltipCard title={p.label} rows={rows} footer={metric === 'baskets' ? `${formatInt(p.baskets)} baskets · ${formatInt(p.rows)} rows` : undefined} />;
              }}
            />
            {metric === 'baskets' ? (
              LABEL_ORDER.map((l, i) => (
                <Bar key={l} dataKey={l} stackId="week" fill={LABEL_STYLES[l].color} radius={i === LABEL_ORDER.length - 1 ? [2, 2, 0, 0] : 0} animationDuration={500} />
              ))
            ) : (
              <Bar dataKey={metric} fill={SERIES_COLOR} radius={[2, 2, 0, 0]} animationDuration={500} />
            )}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-muted-foreground">
        {metric === 'baskets'
          ? LABEL_ORDER.map((l) => (
              <span key={l} className="inline-flex items-center gap-1.5">
                <span className={cn('size-2.5 rounded-[3px]', LABEL_STYLES[l].swatch)} aria-hidden="true" />
                <span className="font-mono font-medium text-foreground">{l}</span> {LABEL_STYLES[l].name}
              </span>
            ))
          : null}
        {missingWeeks.length ? (
          <span className="ml-auto">
            {missingWeeks.length === 1 ? `Week ${formatWeek(missingWeeks[0])} has no data` : `${missingWeeks.length} weeks without data`} (gap in the bars)
          </span>
        ) : null}
      </div>
      <ChartDataTable
        caption="Baskets, rows and spend per shop week, baskets by label"
        columns={['Week', 'Baskets', 'LA', 'MM', 'UM', 'XX', 'Rows', 'Spend']}
        rows={points.filter((p) => !p.isGap).map((p) => [p.label, formatInt(p.baskets), formatInt(p.LA), formatInt(p.MM), formatInt(p.UM), formatInt(p.XX), formatInt(p.rows), `£${formatNumber(p.spend, 0)}`])}
      />
    </div>
  );
}
