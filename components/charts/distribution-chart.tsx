'use client';

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatAxis, formatInt, formatPercent } from '@/lib/datasets/format';
import { GRID_COLOR, SERIES_COLOR } from '@/lib/charts/labels';
import { AXIS_TICK, ChartTooltipCard } from './chart-tooltip';
import { ChartDataTable } from './chart-data-table';

export type DistributionBar = { label: string; count: number; share: number };

export type DistributionChartProps = {
  bars: DistributionBar[];
  /** What is counted: "rows", "baskets". */
  unit: string;
  /** What the bins are, for the tooltip and the screen-reader table: "Spend per line (£)". */
  binName: string;
  height?: number;
  color?: string;
};

/** Counts per pre-binned category (histograms, hours of day) as vertical bars. */
export function DistributionChart({ bars, unit, binName, height = 220, color = SERIES_COLOR }: DistributionChartProps) {
  return (
    <div>
      <div aria-hidden="true" style={{ height }}>
        <ResponsiveContainer width="100%" height={height}>
          <BarChart data={bars} margin={{ top: 8, right: 4, bottom: 0, left: 0 }} barCategoryGap="18%">
            <CartesianGrid vertical={false} stroke={GRID_COLOR} strokeDasharray="3 3" />
            <XAxis dataKey="label" tickLine={false} axisLine={{ stroke: GRID_COLOR }} tick={AXIS_TICK} interval="preserveStartEnd" minTickGap={6} />
            <YAxis tickLine={false} axisLine={false} tick={AXIS_TICK} width={40} tickFormatter={(v: number) => formatAxis(v)} />
            <Tooltip
              cursor={{ fill: 'var(--color-muted)', opacity: 0.7 }}
              content={({ active, payload }) => {
                const bar = active ? (payload?.[0]?.payload as DistributionBar | undefined) : undefined;
                if (!bar) return null;
                return <ChartTooltipCard title={`${binName}: ${bar.label}`} rows={[{ name: unit, value: formatInt(bar.count), color }, { name: 'share', value: formatPercent(bar.share), muted: true }]} />;
              }}
            />
            <Bar dataKey="count" fill={color} radius={[3, 3, 0, 0]} animationDuration={500} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <ChartDataTable caption={`${unit} by ${binName}`} columns={[binName, unit, 'share']} rows={bars.map((b) => [b.label, formatInt(b.count), formatPercent(b.share)])} />
    </div>
  );
}
