'use client';

import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { GRID_COLOR, labelColor } from '@/lib/charts/labels';
import { formatInt } from '@/lib/datasets/format';
import { AXIS_TICK, ChartTooltipCard } from './chart-tooltip';

type Series = { label: string; points: { x: number; y: number; count: number }[] };

/** Reliability diagram: per class, mean predicted probability vs observed frequency; the diagonal is perfect calibration. */
export function CalibrationChart({ series, height = 280 }: { series: Series[]; height?: number }) {
  return (
    <div role="img" aria-label={`Calibration of ${series.map((s) => s.label).join(', ')}: predicted probability against observed frequency`} style={{ height }}>
      <ResponsiveContainer width="100%" height={height}>
        <LineChart margin={{ top: 8, right: 12, bottom: 16, left: 0 }}>
          <CartesianGrid stroke={GRID_COLOR} strokeDasharray="3 3" />
          <XAxis type="number" dataKey="x" domain={[0, 1]} ticks={[0, 0.25, 0.5, 0.75, 1]} tick={AXIS_TICK} tickLine={false} axisLine={{ stroke: GRID_COLOR }} label={{ value: 'mean predicted probability', position: 'insideBottom', offset: -10, fontSize: 11, fill: 'var(--color-muted-foreground)' }} />
          <YAxis type="number" dataKey="y" domain={[0, 1]} ticks={[0, 0.25, 0.5, 0.75, 1]} tick={AXIS_TICK} tickLine={false} axisLine={false} width={40} />
          <ReferenceLine segment={[{ x: 0, y: 0 }, { x: 1, y: 1 }]} stroke="var(--color-muted-foreground)" strokeDasharray="4 4" ifOverflow="extendDomain" />
          <Tooltip
            content={({ active, payload }) => {
              const p = active ? payload?.[0] : undefined;
              const point = p?.payload as Series['points'][number] | undefined;
              return point ? <ChartTooltipCard title={String(p!.name)} rows={[{ name: 'Predicted', value: point.x.toFixed(3) }, { name: 'Observed', value: point.y.toFixed(3) }, { name: 'Baskets', value: formatInt(point.count), muted: true }]} /> : null;
            }}
          />
          <Legend verticalAlign="top" height={24} wrapperStyle={{ fontSize: 12 }} />
          {series.map((s) => (
            <Line key={s.label} data={s.points} dataKey="y" name={s.label} stroke={labelColor(s.label)} strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
