import * as React from 'react';
import Link from 'next/link';
import { ArrowRight } from 'lucide-react';
import { Badge, type BadgeVariant } from '@/components/ui/badge';
import { glanceTiles, type CostTile, type GlanceTile, type ProductionGlance, type Tone } from '@/lib/overview';
import { cn } from '@/lib/utils';

const BADGE: Record<Tone, BadgeVariant> = { good: 'success', watch: 'warning', bad: 'danger', neutral: 'neutral' };
const BAR_FILL: Record<Tone, string> = { good: 'bg-primary', watch: 'bg-warning', bad: 'bg-danger', neutral: 'bg-muted-foreground' };

/**
 * The first thing on the overview, for everyone and made for a manager: what
 * serves production and how it does, today's traffic, the month's cost against
 * the budget and what is firing — six tiles, each saying why when it has nothing.
 */
export function ProductionGlanceSection({ glance }: { glance: ProductionGlance }) {
  const tiles = glanceTiles(glance);
  const monitoring = `/monitoring?${new URLSearchParams({ deployment: glance.deployment, range: '24h' })}`;
  return (
    <section aria-labelledby="glance-heading" className="mb-6 grid gap-3" data-testid="production-glance">
      <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
        <h2 id="glance-heading" className="text-base font-semibold tracking-tight">Production at a glance</h2>
        <p className="text-xs text-muted-foreground">
          the <span className="font-medium text-foreground">{glance.deployment}</span> deployment · as of {glance.at.slice(11, 16)} UTC
        </p>
      </div>
      {/* Two columns down to phone width (the model and the cost take a full row there), so all six fit about one screen. */}
      <ul className="grid grid-cols-2 gap-3 xl:grid-cols-3">
        <Tile label="In production" tile={tiles.model} href="/deployments" link="Deployment history" valueClassName="text-xl" className="col-span-2 xl:col-span-1" />
        <Tile label="Live accuracy · 24 h" tile={tiles.accuracy} href={monitoring} link="Accuracy chart" />
        <Tile label="p95 latency · 24 h" tile={tiles.latency} href={monitoring} link="Latency chart" />
        <Tile label="Requests today" tile={tiles.requests} href={monitoring} link="Traffic chart" />
        <Tile label="Open alerts" tile={tiles.alerts} href="/monitoring" link="Alert rules and history" />
        <Tile label="Cost this month" tile={tiles.cost} href="/costs" link="Open Costs" className="col-span-2 xl:col-span-1">
          <BudgetBar tile={tiles.cost} />
        </Tile>
      </ul>
    </section>
  );
}

type TileProps = { label: string; tile: GlanceTile; href: string; link: string; valueClassName?: string; className?: string; children?: React.ReactNode };

function Tile({ label, tile, href, link, valueClassName, className, children }: TileProps) {
  const id = `glance-${label.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <li className={cn('min-w-0', className)}>
      <article aria-labelledby={id} className="flex h-full min-w-0 flex-col gap-1.5 rounded-lg border border-border bg-card px-3.5 py-3 shadow-xs sm:px-4 sm:py-3.5">
        <div className="flex flex-wrap items-center justify-between gap-x-2 gap-y-1">
          <h3 id={id} className="text-[13px] font-medium text-muted-foreground">{label}</h3>
          {tile.badge ? <Badge variant={BADGE[tile.badge.tone]} dot>{tile.badge.label}</Badge> : null}
        </div>
        <p className={cn('text-2xl font-semibold tracking-tight break-words tabular-nums', tile.isEmpty && tile.value === '—' && 'text-muted-foreground', valueClassName)}>{tile.value}</p>
        {children}
        <p className={cn('text-xs text-muted-foreground', tile.isEmpty && 'text-[13px] text-foreground/80')}>{tile.detail}</p>
        {tile.code ? <code className="block rounded-md border border-border bg-subtle px-2 py-1.5 font-mono text-xs break-all">{tile.code}</code> : null}
        <Link href={href} className="mt-auto inline-flex w-fit items-center gap-1 pt-1 text-xs font-medium text-primary hover:underline">
          {link}
          <ArrowRight className="size-3" aria-hidden="true" />
        </Link>
      </article>
    </li>
  );
}

/** Spent (solid), forecast (faint) and the budget (a tick), on one scale so an overspend shows. */
function BudgetBar({ tile }: { tile: CostTile }) {
  if (!tile.bar) return null;
  const fill = BAR_FILL[tile.badge?.tone ?? 'neutral'];
  return (
    <div className="grid gap-1">
      <div className="relative h-2 w-full rounded-full bg-muted" role="img" aria-label={`${tile.value} spent, ${tile.forecastLabel}, ${tile.budgetLabel}`}>
        <div className={cn('absolute inset-y-0 left-0 rounded-full opacity-30', fill)} style={{ width: `${tile.bar.forecastPct}%` }} />
        <div className={cn('absolute inset-y-0 left-0 rounded-full', fill)} style={{ width: `${tile.bar.spentPct}%` }} />
        <div className="absolute -inset-y-1 w-0.5 rounded-full bg-foreground" style={{ left: `calc(${tile.bar.budgetPct}% - 1px)` }} />
      </div>
      <div className="flex justify-between gap-2 text-xs text-muted-foreground tabular-nums">
        <span>{tile.forecastLabel}</span>
        <span>{tile.budgetLabel}</span>
      </div>
    </div>
  );
}
