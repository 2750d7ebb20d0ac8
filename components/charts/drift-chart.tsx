'use client';

import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { DRIFT_STATUS_LABEL, formatPsi, PSI_ACT, PSI_WATCH, type DriftBar } from '@/lib/charts/drift';
import { GRID_COLOR } from '@/lib/charts/labels';
import { ChartDataTable } from './chart-data-table';
import { AXIS_TICK, ChartTooltipCard } from './chart-tooltip';

/** Features ranked by PSI (bars from lib/charts/drift.ts driftBars), with the 0.1 watch and 0.25 act lines. */
export function DriftChart({ bars, axisMax, ticks, label }: { bars: DriftBar[]; axisMax: number; ticks: number[]; label: string }) {
  const height = Math.max(140, bars.length * 28 + 48);
  return (
    <>
      <div role="img" aria-label={`${label}: ${bars.slice(0, 3).map((b) => `${b.label} ${formatPsi(b.psi)}`).join(', ')}`} style={{ height }}>
        <ResponsiveContainer width="100%" height={height}>
          <BarChart data={bars} layout="vertical" margin={{ top: 18, right: 24, bottom: 0, left: 0 }} barCategoryGap={5}>
            <CartesianGrid stroke={GRID_COLOR} strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" domain={[0, axisMax]} ticks={ticks} tick={AXIS_TICK} tickLine={false} axisLine={false} tickFormatter={(v: number) => String(Number(v.toFixed(2)))} />
            <YAxis type="category" dataKey="label" tick={{ ...AXIS_TICK, fontSize: 11 }} tickLine={false} axisLine={false} width={130} interval={0} />
            <ReferenceLine x={PSI_WATCH} stroke="var(--color-warning)" strokeDasharray="5 4" label={{ value: `watch ${PSI_WATCH}`, position: 'top', fontSize: 11, fill: 'var(--color-warning)' }} />
            <ReferenceLine x={PSI_ACT} stroke="var(--color-danger)" strokeDasharray="5 4" label={{ value: `act ${PSI_ACT}`, position: 'top', fontSize: 11, fill: 'var(--color-danger)' }} />
            <Tooltip
              cursor={{ fill: 'var(--color-muted)', opacity: 0.5 }}
              content={({ active, payload }) => {
                const b = active ? (payload?.[0]?.payload as DriftBar | undefined) : undefined;
                return b ? (
                  <ChartTooltipCard
                    title={b.label}
                    rows={[
                      { name: 'PSI', value: formatPsi(b.psi), color: b.color },
                      { name: 'Status', value: DRIFT_STATUS_LABEL[b.status] },
                      { name: 'Predictions', value: b.recentCount.toLocaleString('en-US'), muted: true },
                    ]}
                    footer={b.biggestShift ? `Largest change (training → now): ${b.biggestShift}` : undefined}
                  />
                ) : null;
              }}
            />
            <Bar dataKey="shown" radius={[0, 3, 3, 0]} isAnimationActive={false}>
              {bars.map((b) => <Cell key={b.key} fill={b.color} />)}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <ChartDataTable caption={label} columns={['Feature', 'PSI', 'Status', 'Largest change']} rows={bars.map((b) => [b.label, formatPsi(b.psi), DRIFT_STATUS_LABEL[b.status], b.biggestShift ?? '—'])} />
    </>
  );
}
