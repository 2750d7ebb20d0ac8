'use client';

import { Area, Bar, CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatTimeTick, timeTicks } from '@/lib/charts/deployments';
import { GRID_COLOR } from '@/lib/charts/labels';
import { isolatedPoints, type TimeDomain, type VersionMarkerLine } from '@/lib/charts/monitoring';
import { formatDateTime } from '@/lib/utils';
import { ChartDataTable } from './chart-data-table';
import { AXIS_TICK, ChartTooltipCard } from './chart-tooltip';

export type TimeSeries = { key: string; label: string; color: string; dashed?: boolean };
export type ReferenceY = { y: number; label: string; color?: string };
/** Counts drawn as bars on a second axis (e.g. how many labelled predictions a point stands on). */
export type CountBars = { key: string; label: string; color: string };

type Row = { t: number } & Record<string, number | null>;

export type TimeSeriesChartProps = {
  label: string;
  rows: Row[];
  series: TimeSeries[];
  domain: TimeDomain;
  /** lines (default), areas stacked on each other, or bars stacked per bucket (isolated buckets stay visible). */
  kind?: 'line' | 'stacked-area' | 'stacked-bar';
  formatValue: (v: number) => string;
  formatTick?: (v: number) => string;
  yDomain?: [number | 'auto' | 'dataMin' | 'dataMax', number | 'auto' | 'dataMin' | 'dataMax'];
  /** A log axis needs a positive domain (give yDomain and yTicks). */
  yScale?: 'linear' | 'log';
  yTicks?: number[];
  references?: ReferenceY[];
  markers: VersionMarkerLine[];
  bars?: CountBars;
  height?: number;
};

const MARKER_COLOR = 'var(--color-muted-foreground)';
const MIN_BAR_PX = 3;

/** A bar at least a few pixels wide: 720 hourly buckets on a 600 px axis would otherwise be invisible. */
function WideEnoughBar(props: { x?: number; y?: number; width?: number; height?: number; fill?: string; fillOpacity?: number | string }) {
  const { x = 0, y = 0, width = 0, height = 0, fill, fillOpacity } = props;
  if (!(height > 0)) return null;
  const w = Math.max(width, MIN_BAR_PX);
  return <rect x={x - (w - width) / 2} y={y} width={w} height={height} fill={fill} fillOpacity={fillOpacity} />;
}

/**
 * One time axis, one or more series (lines, or stacked areas), horizontal
 * reference lines (objectives, offline metrics) and a vertical line at each model
 * version change. Render-only: rows come ready from lib/charts/monitoring.ts.
 */
export function TimeSeriesChart({ label, rows, series, domain, kind = 'line', formatValue, formatTick = formatValue, yDomain, yScale = 'linear', yTicks, references = [], markers, bars, height = 220 }: TimeSeriesChartProps) {
  const span = domain[1] - domain[0];
  const stacked = kind !== 'line';
  return (
    <figure className="grid gap-1">
      <div role="img" aria-label={label} style={{ height }}>
        <ResponsiveContainer width="100%" height={height}>
          <ComposedChart data={rows} margin={{ top: 14, right: bars ? 4 : 12, bottom: 0, left: 0 }}>
            <CartesianGrid stroke={GRID_COLOR} strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="t" type="number" scale="time" domain={domain} ticks={timeTicks(domain)} tickFormatter={(v: number) => formatTimeTick(v, span)} tick={AXIS_TICK} tickLine={false} axisLine={{ stroke: GRID_COLOR }} allowDataOverflow />
            <YAxis yAxisId="value" scale={yScale} ticks={yTicks} tick={AXIS_TICK} tickLine={false} axisLine={false} width={56} domain={yDomain ?? [0, 'auto']} tickFormatter={formatTick} allowDataOverflow={Boolean(yDomain)} />
            {bars ? <YAxis yAxisId="count" orientation="right" tick={AXIS_TICK} tickLine={false} axisLine={false} width={40} allowDecimals={false} /> : null}
            <Tooltip
              content={({ active, payload, label: t }) =>
                active && payload?.length ? (
                  <ChartTooltipCard
                    title={formatDateTime(Number(t))}
                    rows={payload.map((p) => ({
                      name: p.name === undefined ? String(p.dataKey) : String(p.name),
                      value: typeof p.value === 'number' ? (bars && p.dataKey === bars.key ? p.value.toLocaleString('en-US') : formatValue(p.value)) : '—',
                      color: String(p.color ?? p.stroke ?? ''),
                    }))}
                  />
                ) : null
              }
            />
            <Legend iconType={stacked ? 'square' : 'plainline'} iconSize={10} wrapperStyle={{ fontSize: 12 }} />
            {bars ? <Bar yAxisId="count" dataKey={bars.key} name={bars.label} fill={bars.color} fillOpacity={0.35} isAnimationActive={false} maxBarSize={14} shape={WideEnoughBar} /> : null}
            {series.map((s) => {
              const isolated = kind === 'line' ? isolatedPoints(rows, s.key) : null;
              return kind === 'stacked-bar' ? (
                <Bar key={s.key} yAxisId="value" dataKey={s.key} name={s.label} stackId="stack" fill={s.color} isAnimationActive={false} maxBarSize={24} shape={WideEnoughBar} />
              ) : stacked ? (
                <Area key={s.key} yAxisId="value" type="monotone" dataKey={s.key} name={s.label} stackId="stack" stroke={s.color} fill={s.color} fillOpacity={0.55} strokeWidth={1} isAnimationActive={false} connectNulls={false} />
              ) : (
                <Line
                  key={s.key} yAxisId="value" type="monotone" dataKey={s.key} name={s.label} stroke={s.color} strokeWidth={2} strokeDasharray={s.dashed ? '5 4' : undefined}
                  dot={isolated?.size ? (p: { cx?: number; cy?: number; index?: number }) => <circle key={`${s.key}-${p.index}`} cx={p.cx} cy={p.cy} r={isolated.has(p.index ?? -1) ? 3 : 0} fill={s.color} /> : false}
                  isAnimationActive={false} connectNulls={false}
                />
              );
            })}
            {references.map((r) => (
              <ReferenceLine key={r.label} yAxisId="value" y={r.y} stroke={r.color ?? 'var(--color-danger)'} strokeDasharray="6 4" ifOverflow="extendDomain" label={{ value: r.label, position: 'insideTopLeft', fontSize: 11, fill: r.color ?? 'var(--color-danger)' }} />
            ))}
            {markers.map((m) => (
              <ReferenceLine key={`${m.x}-${m.label}`} yAxisId="value" x={m.x} stroke={MARKER_COLOR} strokeDasharray="2 3" label={m.label ? { value: m.label, position: 'top', fontSize: 11, fill: MARKER_COLOR } : undefined} />
            ))}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <ChartDataTable
        caption={label}
        columns={['Time (UTC)', ...series.map((s) => s.label), ...(bars ? [bars.label] : [])]}
        rows={rows
          .filter((r) => series.some((s) => r[s.key] !== null && r[s.key] !== 0))
          .map((r) => [formatDateTime(r.t), ...series.map((s) => (typeof r[s.key] === 'number' ? formatValue(r[s.key] as number) : '—')), ...(bars ? [String(r[bars.key] ?? 0)] : [])])}
      />
    </figure>
  );
}
