'use client';

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { GRID_COLOR } from '@/lib/charts/labels';
import { AXIS_TICK, ChartTooltipCard } from './chart-tooltip';

export type CurveSeries = { key: string; label: string; color: string; dashed?: boolean };

/** Loss (or any metric) per iteration: one line per series, rows keyed by `step`. */
export function LearningCurveChart({ data, series, height = 260, label = 'Learning curves' }: { data: Array<{ step: number } & Record<string, number | null>>; series: CurveSeries[]; height?: number; label?: string }) {
  return (
    <div role="img" aria-label={`${label}: ${series.map((s) => s.label).join(', ')} over ${data.length} iterations`} style={{ height }}>
      <ResponsiveContainer width="100%" height={height}>
        <LineChart data={data} margin={{ top: 8, right: 12, bottom: 4, left: 0 }}>
          <CartesianGrid stroke={GRID_COLOR} strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} tick={AXIS_TICK} tickLine={false} axisLine={{ stroke: GRID_COLOR }} />
          <YAxis tick={AXIS_TICK} tickLine={false} axisLine={false} width={48} domain={['auto', 'auto']} tickFormatter={(v: number) => v.toFixed(2)} />
          <Tooltip
            content={({ active, payload, label: step }) =>
              active && payload?.length ? (
                <ChartTooltipCard
                  title={`Iteration ${String(step)}`}
                  rows={payload.map((p) => ({ name: series.find((s) => s.key === p.dataKey)?.label ?? String(p.dataKey), value: typeof p.value === 'number' ? p.value.toFixed(4) : '—', color: String(p.color) }))}
                />
              ) : null
            }
          />
          <Legend iconType="plainline" wrapperStyle={{ fontSize: 12 }} />
          {series.map((s) => (
            <Line key={s.key} dataKey={s.key} name={s.label} stroke={s.color} strokeWidth={2} strokeDasharray={s.dashed ? '5 4' : undefined} dot={false} connectNulls isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
