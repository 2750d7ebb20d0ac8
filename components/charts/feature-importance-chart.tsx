'use client';

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { GRID_COLOR, SERIES_COLOR } from '@/lib/charts/labels';
import { formatPercent } from '@/lib/datasets/format';
import { AXIS_TICK, ChartTooltipCard } from './chart-tooltip';

/** Horizontal bars, largest first (the caller sorts and trims, see topImportances). */
export function FeatureImportanceChart({ items }: { items: { feature: string; importance: number; share: number }[] }) {
  const height = Math.max(120, items.length * 24 + 32);
  return (
    <div role="img" aria-label={`Feature importance, top ${items.length}: ${items.slice(0, 3).map((i) => i.feature).join(', ')}…`} style={{ height }}>
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={items} layout="vertical" margin={{ top: 0, right: 16, bottom: 0, left: 0 }} barCategoryGap={4}>
          <CartesianGrid stroke={GRID_COLOR} strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" tick={AXIS_TICK} tickLine={false} axisLine={false} tickFormatter={(v: number) => (Math.abs(v) >= 100 ? v.toExponential(0) : String(Number(v.toPrecision(2))))} />
          <YAxis type="category" dataKey="feature" tick={{ ...AXIS_TICK, fontSize: 11 }} tickLine={false} axisLine={false} width={190} interval={0} />
          <Tooltip
            cursor={{ fill: 'var(--color-muted)', opacity: 0.5 }}
            content={({ active, payload }) => {
              const item = active ? (payload?.[0]?.payload as (typeof items)[number] | undefined) : undefined;
              return item ? <ChartTooltipCard title={item.feature} rows={[{ name: 'Importance', value: item.importance.toPrecision(4) }, { name: 'Share of top', value: formatPercent(item.share), muted: true }]} /> : null;
            }}
          />
          <Bar dataKey="importance" fill={SERIES_COLOR} radius={[0, 3, 3, 0]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
