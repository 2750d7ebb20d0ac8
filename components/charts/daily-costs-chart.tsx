'use client';

import * as React from 'react';
import { Bar, BarChart, CartesianGrid, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { COMPONENT_COLORS, type DailyCostPoint, type DailyCosts } from '@/lib/charts/costs';
import { GRID_COLOR } from '@/lib/charts/labels';
import { COMPONENT_INFO, COST_COMPONENTS, formatUsd } from '@/lib/costs';
import { AXIS_TICK, ChartTooltipCard } from './chart-tooltip';
import { ChartDataTable } from './chart-data-table';

const axisUsd = (v: number) => (v === 0 ? '$0' : v < 1 ? `$${v.toFixed(2)}` : v < 1000 ? `$${Math.round(v)}` : `$${(v / 1000).toFixed(1)}k`);

/** Cost per day, stacked by component (prepared with prepareDailyCosts), with the average as a dashed line. */
export function DailyCostsChart({ prepared, height = 240 }: { prepared: DailyCosts; height?: number }) {
  const { points, components, average } = prepared;
  const top = components[components.length - 1];
  return (
    <div className="grid gap-3">
      <div aria-hidden="true" style={{ height }} className="[&_path.recharts-rectangle]:[shape-rendering:crispEdges]">
        <ResponsiveContainer width="100%" height={height}>
          <BarChart data={points} margin={{ top: 8, right: 4, bottom: 0, left: 0 }} barCategoryGap="18%">
            <CartesianGrid vertical={false} stroke={GRID_COLOR} strokeDasharray="3 3" />
            <XAxis dataKey="label" tickLine={false} axisLine={{ stroke: GRID_COLOR }} tick={AXIS_TICK} minTickGap={16} />
            <YAxis tickLine={false} axisLine={false} tick={AXIS_TICK} width={44} tickFormatter={axisUsd} />
            {average > 0 ? <ReferenceLine y={average} stroke="var(--color-muted-foreground)" strokeDasharray="4 4" strokeOpacity={0.7} /> : null}
            <Tooltip
              cursor={{ fill: 'var(--color-muted)', opacity: 0.7 }}
              content={({ active, payload }) => {
                const p = active ? (payload?.[0]?.payload as DailyCostPoint | undefined) : undefined;
                if (!p) return null;
                const rows = [...components].reverse().map((c) => ({ name: COMPONENT_INFO[c].label, value: formatUsd(p[c]), color: COMPONENT_COLORS[c], muted: p[c] === 0 }));
                return <ChartTooltipCard title={p.label} rows={rows} footer={`Total ${formatUsd(p.total)}`} />;
              }}
            />
            {components.map((c) => (
              <Bar key={c} dataKey={c} stackId="day" fill={COMPONENT_COLORS[c]} radius={c === top ? [2, 2, 0, 0] : 0} animationDuration={400} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <ul className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-muted-foreground" aria-label="Components">
        {[...components].reverse().map((c) => (
          <li key={c} className="inline-flex items-center gap-1.5">
            <span className="size-2.5 rounded-[3px]" style={{ background: COMPONENT_COLORS[c] }} aria-hidden="true" />
            <span className="text-foreground">{COMPONENT_INFO[c].label}</span>
          </li>
        ))}
        {average > 0 ? (
          <li className="inline-flex items-center gap-1.5 sm:ml-auto">
            <span className="w-4 border-t border-dashed border-muted-foreground" aria-hidden="true" />
            average {formatUsd(average)} a day
          </li>
        ) : null}
      </ul>
      <ChartDataTable
        caption="Cost per day by component, in US dollars"
        columns={['Day', ...COST_COMPONENTS.map((c) => COMPONENT_INFO[c].label), 'Total']}
        rows={points.map((p) => [p.label, ...COST_COMPONENTS.map((c) => formatUsd(p[c])), formatUsd(p.total)])}
      />
    </div>
  );
}
