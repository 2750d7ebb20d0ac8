import { z } from 'zod';

/**
 * Cost vocabulary shared by the server (recording, overview, CSV) and the Costs
 * page: the components, months as YYYY-MM in UTC, the budget's input schema and
 * the month-end forecast. Pure and client-safe.
 */

export const COST_COMPONENTS = ['training', 'inference', 'storage', 'data_transfer', 'control_plane'] as const;
export type CostComponentName = (typeof COST_COMPONENTS)[number];

export const COMPONENT_INFO: Record<CostComponentName, { label: string; description: string }> = {
  training: { label: 'Training', description: 'training runs: instance time at SageMaker prices' },
  inference: { label: 'Inference', description: "the prediction service's instance-hours, as a share of an EKS node" },
  storage: { label: 'Storage', description: 'datasets, models and telemetry in S3' },
  data_transfer: { label: 'Data transfer', description: 'prediction responses sent to the internet' },
  control_plane: { label: 'Control plane', description: 'always-on infrastructure: EKS, NAT, load balancer, database, logs' },
};

export const COST_SOURCES = ['cost_model', 'cost_explorer'] as const;
export type CostSourceName = (typeof COST_SOURCES)[number];
export const SOURCE_LABELS: Record<CostSourceName, string> = { cost_model: 'cost model', cost_explorer: 'AWS Cost Explorer' };

export const DEFAULT_BUDGET_USD = 500;
export const MAX_BUDGET_USD = 1_000_000;

/** What an admin sends to change the monthly budget (REST, CLI and the form alike). */
export const budgetInputSchema = z
  .object({
    monthly_usd: z
      .number({ error: 'must be a number of US dollars, e.g. 750' })
      .refine(Number.isFinite, 'must be a number of US dollars, e.g. 750')
      .positive('must be more than 0')
      .max(MAX_BUDGET_USD, `must be at most ${MAX_BUDGET_USD.toLocaleString('en-US')}`),
  })
  .strict();

// ───────────────────────────── months and days (UTC) ─────────────────────────────

export const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;
export const DAY_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const DAY_MS = 86_400_000;

export const monthSchema = z.string().regex(MONTH_PATTERN, 'must be a month as YYYY-MM, e.g. 2026-11');
export const daySchema = z
  .string()
  .regex(DAY_PATTERN, 'must be a date as YYYY-MM-DD')
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return Number.isNaN(t) || dayKey(new Date(t)) === d;
  }, 'is not a calendar date');

export const dayKey = (date: Date) => date.toISOString().slice(0, 10);
export const monthOf = (date: Date) => date.toISOString().slice(0, 7);
export const dayStart = (day: string) => new Date(`${day}T00:00:00.000Z`);
export const addDays = (day: string, n: number) => dayKey(new Date(dayStart(day).getTime() + n * DAY_MS));

/** First instant of the month, first instant of the next, and its number of days. */
export function monthRange(month: string): { start: Date; end: Date; days: number } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const start = new Date(Date.UTC(y, m - 1, 1));
  const end = new Date(Date.UTC(y, m, 1));
  return { start, end, days: Math.round((end.getTime() - start.getTime()) / DAY_MS) };
}

export function shiftMonth(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return monthOf(new Date(Date.UTC(y, m - 1 + delta, 1)));
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
/** "2026-11" → "November 2026". */
export function monthLabel(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${MONTH_NAMES[m - 1]} ${y}`;
}

// ───────────────────────────── forecast and budget ─────────────────────────────

export type DayTotal = {
  day: string;
  total: number;
  /** Hours of the day the platform was running (control plane hours); unknown: 24 for a past day, the elapsed hours today. */
  hours?: number | null;
};

export type MonthForecast = {
  monthToDate: number;
  forecast: number;
  /** The cost of a typical day at the recent rate (USD). */
  perDay: number;
  /** final: the month is over; run_rate: recent days' cost per hour × hours left; none: nothing recorded yet. */
  basis: 'final' | 'run_rate' | 'none' | 'not_started';
};

/** Days of recent history the run rate looks at: a week follows changes (a new deployment) without forgetting the weekend. */
export const RUN_RATE_DAYS = 7;

/**
 * The month's expected total: the cost so far, plus the hours left in the month
 * at the cost per hour of the last RUN_RATE_DAYS days that have records
 * (including today, counted by the hours it has run). Days before the platform
 * existed are not counted as free days, so a mid-month installation does not
 * forecast too low.
 */
export function forecastMonth(month: string, now: Date, daily: DayTotal[]): MonthForecast {
  const { start, end } = monthRange(month);
  const inMonth = daily.filter((d) => d.day.startsWith(month) && dayStart(d.day) <= now);
  const monthToDate = roundUsd(inMonth.reduce((sum, d) => sum + d.total, 0));
  if (now >= end) return { monthToDate, forecast: monthToDate, perDay: 0, basis: 'final' };
  if (now < start) return { monthToDate: 0, forecast: 0, perDay: 0, basis: 'not_started' };
  const today = dayKey(now);
  const hoursOf = (d: DayTotal) => d.hours ?? (d.day === today ? (now.getTime() - dayStart(today).getTime()) / 3_600_000 : 24);
  // Recent days across the month boundary count too: on the 1st, last week says more than one hour.
  const from = addDays(today, -(RUN_RATE_DAYS - 1));
  const recent = daily.filter((d) => d.day >= from && d.day <= today);
  const hours = recent.reduce((sum, d) => sum + Math.max(0, hoursOf(d)), 0);
  if (!recent.length || hours <= 0) return { monthToDate, forecast: monthToDate, perDay: 0, basis: 'none' };
  const perHour = recent.reduce((sum, d) => sum + d.total, 0) / hours;
  const hoursLeft = (end.getTime() - now.getTime()) / 3_600_000;
  return { monthToDate, forecast: roundUsd(monthToDate + perHour * hoursLeft), perDay: roundUsd(perHour * 24), basis: 'run_rate' };
}

export type BudgetState = 'under' | 'near' | 'over';

/** Where the month stands against the budget: over when the forecast (or the spend) passes it, near from 90 %. */
export function budgetStatus(monthToDate: number, forecast: number, budget: number): { spentShare: number; forecastShare: number; state: BudgetState } {
  const spentShare = budget > 0 ? monthToDate / budget : 0;
  const forecastShare = budget > 0 ? Math.max(forecast, monthToDate) / budget : 0;
  const state: BudgetState = forecastShare > 1 ? 'over' : forecastShare >= 0.9 ? 'near' : 'under';
  return { spentShare, forecastShare, state };
}

/** Cents are enough for totals; unit costs keep more digits where they are computed. */
export function roundUsd(usd: number): number {
  return Math.round(usd * 100) / 100;
}

const USD = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const USD_WHOLE = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });

/**
 * $1,234.56; small non-zero amounts keep their significant digits ($0.0042) so a
 * cheap run does not read as free — or, with `cents`, say "<$0.01" where a summary
 * has no room for fractions of a cent.
 */
export function formatUsd(usd: number | null | undefined, opts: { whole?: boolean; cents?: boolean } = {}): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return '—';
  if (opts.whole && Math.abs(usd) >= 100) return USD_WHOLE.format(usd);
  if (opts.cents && usd > 0 && usd < 0.01) return '<$0.01';
  if (usd !== 0 && Math.abs(usd) < 0.01) return `$${usd.toPrecision(2).replace(/0+$/, '')}`;
  return USD.format(usd);
}
