import * as React from 'react';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardFooter } from '@/components/ui/card';
import { budgetBar, componentShares } from '@/lib/charts/costs';
import { formatUsd, monthLabel, SOURCE_LABELS } from '@/lib/costs';
import { formatPercent } from '@/lib/datasets/format';
import { cn, formatRelative } from '@/lib/utils';
import type { CostOverview } from '@/server/services/costs/get-cost-overview';

const STATE_STYLE = {
  under: { fill: 'bg-primary', text: 'text-foreground', badge: 'success' },
  near: { fill: 'bg-warning', text: 'text-warning-soft-foreground', badge: 'warning' },
  over: { fill: 'bg-danger', text: 'text-danger-soft-foreground', badge: 'danger' },
} as const;

function verdict(o: CostOverview): string {
  const gap = Math.abs(o.budget - Math.max(o.forecast, o.month_to_date));
  if (o.budget_state === 'over') return `${formatUsd(gap, { whole: true })} over budget`;
  if (o.budget_state === 'near') return `Close to budget: ${formatUsd(gap, { whole: true })} left`;
  return 'Within budget';
}

/** The ten-second answer: spent so far against the budget, where the month is heading, and what it went on. */
export function BudgetSummary({ overview: o, period, now, editor }: { overview: CostOverview; period: 'current' | 'past' | 'future'; now: Date; editor?: React.ReactNode }) {
  const style = STATE_STYLE[o.budget_state];
  const bar = budgetBar(o.month_to_date, o.forecast, o.budget);
  const spent = o.budget > 0 ? o.month_to_date / o.budget : 0;
  const shares = componentShares(o.by_component);
  const month = monthLabel(o.month);
  const heading = period === 'current' ? 'Month to date' : period === 'past' ? `Spent in ${month}` : `${month} has not started`;

  return (
    <Card aria-labelledby="budget-heading">
      <CardContent className={cn('grid gap-6', o.has_data && 'lg:grid-cols-[minmax(0,1fr)_minmax(0,300px)] lg:gap-10')}>
        <div className="grid content-start gap-4">
          <div className="grid gap-1">
            <h2 id="budget-heading" className="text-sm font-medium text-muted-foreground">{heading}</h2>
            <p className="text-4xl font-semibold tracking-tight tabular-nums sm:text-5xl">{formatUsd(o.month_to_date)}</p>
            <p className="text-sm text-muted-foreground">
              of the <span className="font-medium text-foreground">{formatUsd(o.budget)}</span> monthly budget · {formatPercent(spent, 0)} used
            </p>
          </div>

          <div className="grid gap-1.5">
            <div
              className="relative h-3 w-full rounded-full bg-muted"
              role="img"
              aria-label={`${formatUsd(o.month_to_date)} spent and ${formatUsd(o.forecast)} forecast against a budget of ${formatUsd(o.budget)}`}
            >
              <div className={cn('absolute inset-y-0 left-0 rounded-full opacity-30', style.fill)} style={{ width: `${bar.forecastPct}%` }} />
              <div className={cn('absolute inset-y-0 left-0 rounded-full', style.fill)} style={{ width: `${bar.spentPct}%` }} />
              <div className="absolute -inset-y-1 w-0.5 rounded-full bg-foreground" style={{ left: `calc(${bar.budgetPct}% - 1px)` }} />
            </div>
            <div className="flex justify-between gap-2 text-xs text-muted-foreground">
              <span className="inline-flex items-center gap-1.5">
                <span className={cn('size-2 rounded-full', style.fill)} aria-hidden="true" />
                spent
                {period === 'current' ? (
                  <>
                    <span className={cn('ml-2 size-2 rounded-full opacity-30', style.fill)} aria-hidden="true" />
                    forecast
                  </>
                ) : null}
              </span>
              <span>budget {formatUsd(o.budget, { whole: true })}</span>
            </div>
          </div>

          {period === 'future' || (period === 'past' && !o.has_data) ? null : (
            <div className="grid gap-1">
              <p className="flex flex-wrap items-center gap-x-2 gap-y-1 text-base">
                <span className="text-muted-foreground">{period === 'current' ? `Forecast for ${month}:` : 'Final:'}</span>
                <span className={cn('font-semibold tabular-nums', style.text)} data-testid="cost-forecast">{formatUsd(o.forecast)}</span>
                <Badge variant={style.badge} dot>{verdict(o)}</Badge>
              </p>
              {period === 'current' && o.forecast_basis === 'run_rate' ? (
                <p className="text-xs text-muted-foreground">At the last week&apos;s pace of about {formatUsd(o.per_day)} a day until the end of the month.</p>
              ) : null}
            </div>
          )}
          {editor}
        </div>

        {o.has_data ? (
          <div className="grid content-start gap-3">
            <h3 className="text-sm font-medium text-muted-foreground">What it went on</h3>
            <ul className="grid gap-2.5">
              {shares.map((s) => (
                <li key={s.component} className="grid gap-1">
                  <div className="flex items-baseline justify-between gap-3 text-sm">
                    <span className="inline-flex items-center gap-2">
                      <span className="size-2.5 shrink-0 rounded-[3px]" style={{ background: s.color }} aria-hidden="true" />
                      {s.label}
                    </span>
                    <span className="tabular-nums">
                      <span className="font-medium">{formatUsd(s.usd, { cents: true })}</span>
                      <span className="ml-2 inline-block w-10 text-right text-xs text-muted-foreground">{formatPercent(s.share, 0)}</span>
                    </span>
                  </div>
                  <div className="h-1 rounded-full bg-muted" aria-hidden="true">
                    <div className="h-1 rounded-full" style={{ width: `${s.share * 100}%`, background: s.color }} />
                  </div>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </CardContent>
      <CardFooter className="flex-wrap gap-x-3 gap-y-1 text-xs text-muted-foreground">
        <span>
          Source: <span className="text-foreground">{SOURCE_LABELS[o.source]}</span>
          {o.source === 'cost_model' ? ` · AWS ${o.price_region} list prices of ${o.prices_as_of}` : ''}
        </span>
        <span>{o.recorded_at ? `Updated ${formatRelative(o.recorded_at, now)} (every 10 minutes)` : period === 'current' ? 'Not recorded yet: the worker records costs every 10 minutes' : 'Nothing was recorded for this month'}</span>
      </CardFooter>
    </Card>
  );
}
