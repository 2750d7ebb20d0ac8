import { COST_COMPONENTS, COMPONENT_INFO, type CostComponentName } from '@/lib/costs';

/**
 * Chart data for the Costs page: the daily stacked bars by component, and the
 * budget bar (spent, forecast, where the budget sits). Pure and unit-tested; the
 * components in components/charts only draw.
 */

/** Bottom to top: the steady always-on cost first, the lumpy training runs on top where they stand out. */
export const STACK_ORDER: readonly CostComponentName[] = ['control_plane', 'storage', 'data_transfer', 'inference', 'training'];

/** Theme tokens (they follow dark mode); data transfer has no token of its own, so a mid-tone sky that reads on both. */
export const COMPONENT_COLORS: Record<CostComponentName, string> = {
  control_plane: 'var(--color-muted-foreground)',
  storage: 'var(--color-warning)',
  data_transfer: 'oklch(0.68 0.12 230)',
  inference: 'var(--color-success)',
  training: 'var(--color-primary)',
};

export type DailyCostInput = { day: string; total: number } & Record<CostComponentName, number>;
export type DailyCostPoint = DailyCostInput & { label: string };

const SHORT_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** "2026-11-03" → "Nov 3". */
export const shortDay = (day: string) => `${SHORT_MONTHS[Number(day.slice(5, 7)) - 1]} ${Number(day.slice(8, 10))}`;

export type DailyCosts = {
  points: DailyCostPoint[];
  /** Components with any cost this month, in stack order: the legend lists only these. */
  components: CostComponentName[];
  /** Mean over the days that have any cost (days before installation are not "free days"). */
  average: number;
  peak: { day: string; total: number } | null;
  hasData: boolean;
};

export function prepareDailyCosts(daily: DailyCostInput[]): DailyCosts {
  const points = [...daily].sort((a, b) => a.day.localeCompare(b.day)).map((d) => ({ ...d, label: shortDay(d.day) }));
  const withCost = points.filter((p) => p.total > 0);
  const components = STACK_ORDER.filter((c) => points.some((p) => p[c] > 0));
  const peak = withCost.reduce<DailyCosts['peak']>((best, p) => (!best || p.total > best.total ? { day: p.day, total: p.total } : best), null);
  return {
    points,
    components,
    average: withCost.length ? withCost.reduce((s, p) => s + p.total, 0) / withCost.length : 0,
    peak,
    hasData: withCost.length > 0,
  };
}

/** Each component's share of the month, largest first, for the legend beside the headline. */
export function componentShares(byComponent: Record<CostComponentName, number>): { component: CostComponentName; label: string; usd: number; share: number; color: string }[] {
  const total = COST_COMPONENTS.reduce((s, c) => s + byComponent[c], 0);
  return COST_COMPONENTS.map((c) => ({ component: c, label: COMPONENT_INFO[c].label, usd: byComponent[c], share: total > 0 ? byComponent[c] / total : 0, color: COMPONENT_COLORS[c] }))
    .sort((a, b) => b.usd - a.usd || STACK_ORDER.indexOf(a.component) - STACK_ORDER.indexOf(b.component));
}

export type BudgetBar = {
  /** Widths and positions as percentages of the bar (0–100). */
  spentPct: number;
  forecastPct: number;
  budgetPct: number;
  /** The bar's full width in USD: the budget, or the forecast when it runs past it (the budget marker then sits inside). */
  scaleUsd: number;
};

/** The budget bar: spent so far, the forecast beyond it, and a budget marker — on one scale so overspend is visible. */
export function budgetBar(monthToDate: number, forecast: number, budget: number): BudgetBar {
  const scaleUsd = Math.max(budget, forecast, monthToDate, 0);
  if (scaleUsd <= 0) return { spentPct: 0, forecastPct: 0, budgetPct: 100, scaleUsd: 0 };
  const pct = (usd: number) => Math.min(100, Math.max(0, (usd / scaleUsd) * 100));
  return { spentPct: pct(monthToDate), forecastPct: pct(Math.max(forecast, monthToDate)), budgetPct: pct(budget), scaleUsd };
}
