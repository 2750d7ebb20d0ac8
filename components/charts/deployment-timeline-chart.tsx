'use client';

import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatTimeTick, timeTicks, type ServingRow, type ServingTimeline } from '@/lib/charts/deployments';
import { formatDuration } from '@/lib/datasets/format';
import { GRID_COLOR } from '@/lib/charts/labels';
import { formatDateTime } from '@/lib/utils';
import { AXIS_TICK, ChartTooltipCard } from './chart-tooltip';
import { ChartDataTable } from './chart-data-table';

const ROW_HEIGHT = 34;
const BAR_SIZE = 18;

/**
 * Which version served a deployment when: one row per version, one bar per
 * window it served (from a deploy or a rollback to it until it was replaced,
 * or until now). Windows of one version share its row: a negative gap of one bar width
 * stacks the series on top of each other instead of side by side.
 */
export function DeploymentTimelineChart({ timeline, label }: { timeline: ServingTimeline; label: string }) {
  const { rows, seriesKeys, domain } = timeline;
  const span = domain[1] - domain[0];
  const height = rows.length * ROW_HEIGHT + 44;
  return (
    <figure className="grid gap-2">
      <div role="img" aria-label={label} style={{ height }}>
        <ResponsiveContainer width="100%" height={height}>
          <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 0 }} barGap={-BAR_SIZE} barSize={BAR_SIZE}>
            <CartesianGrid stroke={GRID_COLOR} strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" domain={domain} ticks={timeTicks(domain)} tickFormatter={(v: number) => formatTimeTick(v, span)} tick={AXIS_TICK} tickLine={false} axisLine={{ stroke: GRID_COLOR }} allowDataOverflow />
            <YAxis type="category" dataKey="label" tick={{ ...AXIS_TICK, fontSize: 12, fontFamily: 'var(--font-mono)' }} tickLine={false} axisLine={false} width={44} />
            <Tooltip
              cursor={{ fill: 'var(--color-muted)', opacity: 0.5 }}
              content={({ active, payload }) => {
                const row = active ? (payload?.[0]?.payload as ServingRow | undefined) : undefined;
                if (!row) return null;
                return (
                  <ChartTooltipCard
                    title={`${row.label} served for ${formatDuration(row.servedMs)}`}
                    rows={row.segments.map((s) => ({
                      name: `${s.action === 'rollback' ? 'rolled back to' : 'deployed'} ${formatDateTime(s.start)}`,
                      value: s.open ? 'serving now' : `until ${formatTimeTick(s.end, span)}`,
                      color: row.color,
                      muted: !s.open,
                    }))}
                  />
                );
              }}
            />
            {seriesKeys.map((key) => (
              <Bar key={key} dataKey={key} isAnimationActive={false} radius={3} minPointSize={3}>
                {rows.map((r) => (
                  <Cell key={r.versionId} fill={r.color} />
                ))}
              </Bar>
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="text-xs text-muted-foreground">Times in UTC. Hover a row for its serving windows.</figcaption>
      <ChartDataTable
        caption={label}
        columns={['Version', 'From', 'To', 'How']}
        rows={rows.flatMap((r) => r.segments.map((s) => [r.label, formatDateTime(s.start), s.open ? 'now' : formatDateTime(s.end), s.action]))}
      />
    </figure>
  );
}
