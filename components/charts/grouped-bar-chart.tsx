'use client';

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { GRID_COLOR } from '@/lib/charts/labels';
import { AXIS_TICK, ChartTooltipCard } from './chart-tooltip';

export type BarSeries = { key: string; label: string; color: string };

/** Bars grouped by category (e.g. per class), one bar per series; values 0..1 by default. */
export function GroupedBarChart({ data, categoryKey, series, height = 240, domain = [0, 1], label }: { data: Record<string, string | number | null>[]; categoryKey: string; series: BarSeries[]; height?: number; domain?: [number, number]; label: string }) {
  return (
    <div role="img" aria-label={label} style={{ height }}>
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={data} margin={{ top: 8, right: 12, bottom: 4, left: 0 }} barCategoryGap="20%">
          <CartesianGrid stroke={GRID_COLOR} strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey={categoryKey} tick={{ ...AXIS_TICK, fontSize: 12 }} tickLine={false} axisLine={{ stroke: GRID_COLOR }} />
          <YAxis domain={domain} tick={AXIS_TICK} tickLine={false} axisLine={false} width={40} tickFormatter={(v: number) => v.toFixed(1)} />
          <Tooltip
            cursor={{ fill: 'var(--color-muted)', opacity: 0.5 }}
            content={({ active, payload, label: category }) =>
              active && payload?.length ? (
                <ChartTooltipCard title={String(category)} rows={payload.map((p) => ({ name: String(p.name), value: typeof p.value === 'number' ? p.value.toFixed(3) : '—', color: String(p.color) }))} />
              ) : null
            }
          />
          {series.length > 1 ? <Legend wrapperStyle={{ fontSize: 12 }} /> : null}
          {series.map((s) => (
            <Bar key={s.key} dataKey={s.key} name={s.label} fill={s.color} radius={[3, 3, 0, 0]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
