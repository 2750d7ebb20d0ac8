'use client';

import * as React from 'react';

export type TooltipRow = { name: string; value: string; color?: string; muted?: boolean };

/** The card every chart's tooltip renders into, styled with the theme tokens. */
export function ChartTooltipCard({ title, rows, footer }: { title: React.ReactNode; rows: TooltipRow[]; footer?: React.ReactNode }) {
  return (
    <div className="min-w-40 rounded-lg border border-border bg-card px-3 py-2 text-xs shadow-lg">
      <p className="mb-1.5 font-medium text-foreground">{title}</p>
      <ul className="grid gap-1">
        {rows.map((row) => (
          <li key={row.name} className="flex items-center justify-between gap-4">
            <span className="flex items-center gap-1.5 text-muted-foreground">
              {row.color ? <span className="size-2 rounded-[2px]" style={{ background: row.color }} aria-hidden="true" /> : null}
              {row.name}
            </span>
            <span className={row.muted ? 'text-muted-foreground tabular-nums' : 'font-medium text-foreground tabular-nums'}>{row.value}</span>
          </li>
        ))}
      </ul>
      {footer ? <p className="mt-1.5 border-t border-border pt-1.5 text-muted-foreground">{footer}</p> : null}
    </div>
  );
}

export const AXIS_TICK = { fontSize: 11, fill: 'var(--color-muted-foreground)' } as const;
