'use client';

import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { GRID_COLOR } from '@/lib/charts/labels';
import { AXIS_TICK, ChartTooltipCard } from './chart-tooltip';

/** The sweep's metric for each finished run, the best one in the accent colour. */
export function MetricByRunChart({ data, metricLabel, bestId, height = 220 }: { data: { id: string; label: string; value: number }[]; metricLabel: string; bestId: string | null; height?: number }) {
  const min = Math.min(...data.map((d) => d.value));
  const max = Math.max(...data.map((d) => d.value));
  const padding = Math.max(0.01, (max - min) * 0.2);
  return (
    <div role="img" aria-label={`${metricLabel} per run`} style={{ height }}>
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={data} margin={{ top: 8, right: 12, bottom: 4, left: 0 }}>
          <CartesianGrid stroke={GRID_COLOR} strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={AXIS_TICK} tickLine={false} axisLine={{ stroke: GRID_COLOR }} />
          <YAxis domain={[Math.max(0, min - padding), Math.min(1, max + padding)]} tick={AXIS_TICK} tickLine={false} axisLine={false} width={48} tickFormatter={(v: number) => v.toFixed(3)} />
          <Tooltip
            cursor={{ fill: 'var(--color-muted)', opacity: 0.5 }}
            content={({ active, payload }) => {
              const d = active ? (payload?.[0]?.payload as (typeof data)[number] | undefined) : undefined;
              return d ? <ChartTooltipCard title={d.label} rows={[{ name: metricLabel, value: d.value.toFixed(4) }]} footer={d.id === bestId ? 'Best run of the sweep' : undefined} /> : null;
            }}
          />
          <Bar dataKey="value" radius={[3, 3, 0, 0]} isAnimationActive={false}>
            {data.map((d) => (
              <Cell key={d.id} fill={d.id === bestId ? 'var(--color-success)' : 'var(--color-primary)'} fillOpacity={d.id === bestId ? 1 : 0.55} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
