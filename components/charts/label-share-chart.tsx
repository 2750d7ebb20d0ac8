'use client';

import { Bar, BarChart, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatInt, formatPercent } from '@/lib/datasets/format';
import type { LabelShares } from '@/lib/charts/label-shares';
import { LABEL_ORDER, LABEL_STYLES } from '@/lib/charts/labels';
import { cn } from '@/lib/utils';
import { AXIS_TICK, ChartTooltipCard } from './chart-tooltip';

/** Segments narrower than this carry no percentage inside them (it would not fit). */
const MIN_LABELLED_SHARE = 0.07;

/** The label mix per basket and per row as two 100% bars, with a legend table of counts and shares. */
export function LabelShareChart({ shares }: { shares: LabelShares }) {
  return (
    <div className="grid gap-4">
      <div aria-hidden="true" className="h-[104px]">
        <ResponsiveContainer width="100%" height={104}>
          <BarChart data={shares.bars} layout="vertical" margin={{ top: 0, right: 0, bottom: 0, left: 0 }} barCategoryGap={10}>
            <XAxis type="number" domain={[0, 1]} hide />
            <YAxis type="category" dataKey="unit" tickLine={false} axisLine={false} tick={{ ...AXIS_TICK, fontSize: 12 }} width={60} />
            <Tooltip
              cursor={false}
              content={({ active, payload }) => {
                const bar = active ? (payload?.[0]?.payload as LabelShares['bars'][number] | undefined) : undefined;
                if (!bar) return null;
                return (
                  <ChartTooltipCard
                    title={`${bar.unit} (${formatInt(bar.total)})`}
                    rows={LABEL_ORDER.map((l) => ({ name: `${l} · ${LABEL_STYLES[l].name}`, value: formatPercent(bar[l]), color: LABEL_STYLES[l].color }))}
                  />
                );
              }}
            />
            {LABEL_ORDER.map((label) => (
              <Bar key={label} dataKey={label} stackId="share" fill={LABEL_STYLES[label].color} animationDuration={500}>
                <LabelList
                  dataKey={label}
                  position="center"
                  fill={LABEL_STYLES[label].onColor}
                  fontSize={11}
                  fontWeight={600}
                  formatter={(value: unknown) => (typeof value === 'number' && value >= MIN_LABELLED_SHARE ? formatPercent(value, 0) : '')}
                />
              </Bar>
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <table className="w-full text-sm tabular-nums">
        <caption className="sr-only">Basket labels: counts and shares per basket and per row</caption>
        <thead>
          <tr className="text-xs text-muted-foreground">
            <th scope="col" className="pb-1.5 text-left font-medium">Label</th>
            <th scope="col" className="pb-1.5 text-right font-medium">Baskets</th>
            <th scope="col" className="pb-1.5 text-right font-medium">
              <span className="hidden sm:inline">Share of baskets</span>
              <span className="sm:hidden">%</span>
            </th>
            <th scope="col" className="pb-1.5 text-right font-medium">
              <span className="hidden sm:inline">Share of rows</span>
              <span className="sm:hidden">% rows</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-border">
          {shares.legend.map(({ label, rows, baskets }) => (
            <tr key={label}>
              <th scope="row" className="py-1.5 text-left font-normal">
                <span className="flex items-center gap-2">
                  <span className={cn('size-2.5 shrink-0 rounded-[3px]', LABEL_STYLES[label].swatch)} aria-hidden="true" />
                  <span className="font-mono text-xs font-medium">{label}</span>
                  <span className="truncate text-muted-foreground">{LABEL_STYLES[label].name}</span>
                </span>
              </th>
              <td className="py-1.5 text-right">{formatInt(baskets.count)}</td>
              <td className="py-1.5 text-right font-medium">{formatPercent(baskets.share)}</td>
              <td className="py-1.5 text-right text-muted-foreground">{formatPercent(rows.share)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
