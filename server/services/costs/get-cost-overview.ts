import 'server-only';
import { z } from 'zod';
import {
  addDays, budgetStatus, COST_COMPONENTS, RUN_RATE_DAYS, dayKey, forecastMonth, monthLabel, monthOf, monthRange, monthSchema, SOURCE_LABELS,
  type BudgetState, type CostComponentName, type CostSourceName, type MonthForecast,
} from '@/lib/costs';
import { INFRA_MONTHLY_TARGET_USD, STACKS } from '@/lib/infra-config';
import { estimateStack, type InfraEstimate } from '@/lib/infra-estimate';
import { createCostModel } from '@/server/adapters/costs';
import { PRICES } from '@/server/costs/prices';
import { parseInput } from '@/server/errors';
import { assertCan, nowOf, type ServiceContext } from '../context';
import { readBudget } from './budget';
import { modelVersionCosts, predictionCosts, runCosts, type ModelVersionCost, type PredictionCost, type RunCost } from './cost-breakdowns';
import { readSourceStatus } from './record-daily-costs';

export type DailyCost = { day: string; total: number } & Record<CostComponentName, number>;

export type StackEstimate = {
  stack: string; monthly_usd: number; within_target: boolean;
  lines: { item: string; detail: string; component: string; monthly_usd: number }[];
};

/** Everything the Costs page, `mlops costs --json` and GET /api/v1/costs show. Amounts in USD. */
export type CostOverview = {
  month: string;
  currency: 'USD';
  /** Where the totals come from: the configured source, or the cost model while Cost Explorer has nothing for the month. */
  source: CostSourceName;
  configured_source: CostSourceName;
  source_where: string;
  /** Cost Explorer only: when it was last read and the last error, if any. */
  source_status: { last_fetch_at: string | null; last_error: string | null; last_error_at: string | null } | null;
  prices_as_of: string;
  price_region: string;
  month_to_date: number;
  forecast: number;
  forecast_basis: MonthForecast['basis'];
  per_day: number;
  budget: number;
  budget_is_default: boolean;
  budget_state: BudgetState;
  by_component: Record<CostComponentName, number>;
  daily: DailyCost[];
  per_run: RunCost[];
  runs_in_month: number;
  /** What every run finished this month cost (the table lists the most recent). */
  runs_total_usd: number;
  per_model_version: ModelVersionCost[];
  per_1000_predictions: PredictionCost[];
  predictions_in_month: number;
  /** The month's whole cost over its predictions (null without predictions). */
  all_in_per_1000_usd: number | null;
  infra_estimate: { target_usd: number; dev: StackEstimate; prod: StackEstimate };
  /** When costs were last recorded (the worker does it every 10 minutes). */
  recorded_at: string | null;
  has_data: boolean;
  notes: string[];
};

const toNumber = (d: { toString(): string } | null | undefined) => (d ? Number(d.toString()) : 0);
/** Component and daily amounts keep the recorded precision: a local install's cents are made of fractions of a cent. */
const round6 = (usd: number) => Math.round(usd * 1e6) / 1e6;
const zeroComponents = () => Object.fromEntries(COST_COMPONENTS.map((c) => [c, 0])) as Record<CostComponentName, number>;

function stackEstimate(e: InfraEstimate): StackEstimate {
  return {
    stack: e.stack, monthly_usd: e.monthlyUsd, within_target: e.monthlyUsd <= INFRA_MONTHLY_TARGET_USD,
    lines: e.lines.map((l) => ({ item: l.item, detail: l.detail, component: l.component, monthly_usd: l.monthlyUsd })),
  };
}

export function infraEstimates(): CostOverview['infra_estimate'] {
  return { target_usd: INFRA_MONTHLY_TARGET_USD, dev: stackEstimate(estimateStack(STACKS.dev, PRICES)), prod: stackEstimate(estimateStack(STACKS.prod, PRICES)) };
}

/** The month at a glance: spend so far, forecast, budget, the daily series by component, and who spent it. */
export async function getCostOverview(ctx: ServiceContext, input: { month?: string } = {}): Promise<CostOverview> {
  assertCan(ctx, 'read');
  const now = nowOf(ctx);
  const month = input.month === undefined ? monthOf(now) : parseInput(z.object({ month: monthSchema }), { month: input.month }).month;
  const { start, end } = monthRange(month);
  const configured = (ctx.adapters.costs ?? createCostModel()).kind;
  const where = ctx.adapters.costs?.where ?? createCostModel().where;

  // The week before the month too: on the 1st, the run rate needs last week.
  const history = new Date(start.getTime() - RUN_RATE_DAYS * 86_400_000);
  const grouped = await ctx.db.costRecord.groupBy({
    by: ['day', 'component', 'source'], where: { day: { gte: history, lt: end } },
    _sum: { amountUsd: true, usageQuantity: true }, _max: { createdAt: true },
  });
  const inMonth = grouped.filter((g) => g.day >= start);
  const hasBill = configured !== 'cost_model' && inMonth.some((g) => g.source === configured);
  const source: CostSourceName = hasBill ? configured : 'cost_model';
  const rows = grouped.filter((g) => g.source === source);

  const hours = new Map(grouped.filter((g) => g.source === 'cost_model' && g.component === 'control_plane').map((g) => [dayKey(g.day), toNumber(g._sum.usageQuantity)]));
  const byDay = new Map<string, DailyCost>();
  for (const g of rows) {
    const day = dayKey(g.day);
    const entry = byDay.get(day) ?? { day, total: 0, ...zeroComponents() };
    const usd = toNumber(g._sum.amountUsd);
    entry[g.component] += usd;
    entry.total += usd;
    byDay.set(day, entry);
  }
  const forecast = forecastMonth(month, now, [...byDay.values()].map((d) => ({ day: d.day, total: d.total, hours: hours.get(d.day) ?? null })));

  // Every day of the month up to today (all of it for a past month), zeros where nothing was recorded.
  const lastDay = now >= end ? addDays(dayKey(end), -1) : dayKey(now);
  const daily: DailyCost[] = [];
  for (let day = dayKey(start); day <= lastDay; day = addDays(day, 1)) {
    const d = byDay.get(day) ?? { day, total: 0, ...zeroComponents() };
    daily.push({ ...d, total: round6(d.total), ...Object.fromEntries(COST_COMPONENTS.map((c) => [c, round6(d[c])])) } as DailyCost);
  }
  const byComponent = zeroComponents();
  for (const g of rows) if (g.day >= start) byComponent[g.component] += toNumber(g._sum.amountUsd);
  for (const c of COST_COMPONENTS) byComponent[c] = round6(byComponent[c]);

  const [budget, runs, versions, predictions, status] = await Promise.all([
    readBudget(ctx.db), runCosts(ctx, start, end), modelVersionCosts(ctx, start, end), predictionCosts(ctx, start, end),
    configured === 'cost_model' ? null : readSourceStatus(ctx.db),
  ]);
  const recordedAt = inMonth.reduce<Date | null>((latest, g) => (g._max.createdAt && (!latest || g._max.createdAt > latest) ? g._max.createdAt : latest), null);

  const notes: string[] = [];
  if (source === 'cost_model') notes.push(`What this workload would cost on AWS (${PRICES.region}, list prices of ${PRICES.asOf}), priced as the dev stack; attribution to runs, models and predictions always uses this model.`);
  if (configured !== 'cost_model' && !hasBill) notes.push(`${SOURCE_LABELS[configured]} has no figures for ${monthLabel(month)} yet${status?.lastError ? ` (last error: ${status.lastError})` : ''}: the totals are the cost model's estimate.`);
  if (!predictions.predictions) notes.push(`No predictions recorded in ${monthLabel(month)}: the cost per 1,000 predictions appears once the prediction API has answered.`);

  return {
    month, currency: 'USD', source, configured_source: configured, source_where: where,
    source_status: status ? { last_fetch_at: status.lastFetchAt, last_error: status.lastError, last_error_at: status.lastErrorAt } : null,
    prices_as_of: PRICES.asOf, price_region: PRICES.region,
    month_to_date: forecast.monthToDate, forecast: forecast.forecast, forecast_basis: forecast.basis, per_day: forecast.perDay,
    budget: budget.monthly_usd, budget_is_default: budget.is_default, budget_state: budgetStatus(forecast.monthToDate, forecast.forecast, budget.monthly_usd).state,
    by_component: byComponent, daily,
    per_run: runs.runs, runs_in_month: runs.count, runs_total_usd: runs.total_usd,
    per_model_version: versions,
    per_1000_predictions: predictions.deployments, predictions_in_month: predictions.predictions,
    all_in_per_1000_usd: predictions.predictions ? Math.round((forecast.monthToDate / predictions.predictions) * 1000 * 1e6) / 1e6 : null,
    infra_estimate: infraEstimates(),
    recorded_at: recordedAt?.toISOString() ?? null,
    has_data: inMonth.length > 0,
    notes,
  };
}
