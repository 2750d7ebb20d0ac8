import * as React from 'react';
import { ArrowDownRight, ArrowUpRight, Minus } from 'lucide-react';
import { cn } from '@/lib/utils';

export type StatTrend = {
  direction: 'up' | 'down' | 'flat';
  /** Text that carries the meaning on its own, e.g. "+12% vs last week". */
  label: string;
  /** Whether this movement is good news (cost going down is). Undefined = neutral colour. */
  isPositive?: boolean;
};

export type StatProps = {
  label: React.ReactNode;
  value: React.ReactNode;
  hint?: React.ReactNode;
  trend?: StatTrend;
  className?: string;
};

const TREND_ICONS = { up: ArrowUpRight, down: ArrowDownRight, flat: Minus } as const;

export function Stat({ label, value, hint, trend, className }: StatProps) {
  const TrendIcon = trend ? TREND_ICONS[trend.direction] : null;
  return (
    <div className={cn('flex min-w-0 flex-col gap-1 rounded-lg border border-border bg-card px-5 py-4 shadow-xs', className)}>
      <p className="text-[13px] font-medium text-muted-foreground">{label}</p>
      <p className="text-2xl font-semibold tracking-tight tabular-nums">{value}</p>
      {trend || hint ? (
        <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-muted-foreground">
          {trend && TrendIcon ? (
            <span
              className={cn(
                'inline-flex items-center gap-0.5 font-medium tabular-nums',
                trend.isPositive === true && 'text-success-soft-foreground',
                trend.isPositive === false && 'text-danger-soft-foreground',
              )}
            >
              <TrendIcon className="size-3.5" aria-hidden="true" />
              {trend.label}
            </span>
          ) : null}
          {hint ? <span>{hint}</span> : null}
        </div>
      ) : null}
    </div>
  );
}
