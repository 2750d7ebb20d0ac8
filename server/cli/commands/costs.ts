import 'server-only';
import fs from 'node:fs/promises';
import type { Command } from 'commander';
import { addDays, COMPONENT_INFO, COST_COMPONENTS, dayKey, formatUsd, monthLabel, SOURCE_LABELS } from '@/lib/costs';
import { AppError } from '@/server/errors';
import { getBudget, setBudget } from '@/server/services/costs/budget';
import { exportCostsCsv } from '@/server/services/costs/export-costs-csv';
import { getCostOverview, type CostOverview } from '@/server/services/costs/get-cost-overview';
import { recordCosts, recordRecentCosts } from '@/server/services/costs/record-daily-costs';
import { withRuntime } from '../command';
import { printJson } from '../output';
import { note } from '../runtime';

const STATE_WORDS = { under: 'within budget', near: 'close to the budget', over: 'OVER BUDGET' } as const;

function printOverview(o: CostOverview) {
  const share = o.budget > 0 ? ` (${Math.round((o.month_to_date / o.budget) * 100)}%)` : '';
  console.log(`Costs for ${monthLabel(o.month)} — ${SOURCE_LABELS[o.source]}${o.source === 'cost_model' ? ` (AWS ${o.price_region} list prices of ${o.prices_as_of})` : ''}`);
  console.log(`  month to date   ${formatUsd(o.month_to_date)} of ${formatUsd(o.budget)} budget${share}`);
  console.log(`  forecast        ${formatUsd(o.forecast)} — ${STATE_WORDS[o.budget_state]}`);
  console.log(`  by component    ${COST_COMPONENTS.map((c) => `${COMPONENT_INFO[c].label.toLowerCase()} ${formatUsd(o.by_component[c])}`).join(' · ')}`);
  console.log(`  training runs   ${o.runs_in_month} this month, ${formatUsd(o.runs_total_usd)}`);
  for (const d of o.per_1000_predictions) console.log(`  per 1,000 predictions  ${d.deployment}: ${d.per_1000_usd === null ? 'no predictions' : `${formatUsd(d.per_1000_usd)} (${d.predictions.toLocaleString('en-US')} predictions)`}`);
  const { dev, prod, target_usd } = o.infra_estimate;
  console.log(`  infrastructure  dev ${formatUsd(dev.monthly_usd)}/month, prod ${formatUsd(prod.monthly_usd)}/month (target < ${formatUsd(target_usd, { whole: true })})`);
  for (const n of o.notes) console.log(`  note: ${n}`);
  if (!o.has_data) console.log('  No costs recorded for this month (the worker records them every 10 minutes; `costs record` does it now).');
}

function usd(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new AppError('VALIDATION', `--set must be a number of US dollars, e.g. 750 (got "${value}")`, { fields: [{ field: 'monthly_usd', message: 'must be a number of US dollars, e.g. 750' }] });
  return n;
}

export function registerCosts(program: Command) {
  const costs = program.command('costs').description('what training, serving and storage cost, against the monthly budget');

  costs
    .command('show', { isDefault: true })
    .description('the month at a glance: month to date, forecast, budget, by component (default)')
    .option('--month <YYYY-MM>', 'which month (default: this month, UTC)')
    .option('--refresh', "record yesterday's and today's costs first (the worker does it every 10 minutes)")
    .option('--json', 'print JSON: month_to_date, forecast, budget, by_component, daily, per_run, per_model_version, per_1000_predictions, infra_estimate …')
    .action((o: { month?: string; refresh?: boolean; json?: boolean }) =>
      withRuntime(Boolean(o.json), async (rt) => {
        if (o.refresh) await recordRecentCosts(rt.ctx);
        const overview = await getCostOverview(rt.ctx, o.month === undefined ? {} : { month: o.month });
        if (o.json) return printJson(overview);
        printOverview(overview);
      }),
    );

  costs
    .command('budget')
    .description('show the monthly budget, or --set it (USD)')
    .option('--set <usd>', 'new monthly budget in US dollars')
    .option('--json', 'print JSON')
    .action((o: { set?: string; json?: boolean }) =>
      withRuntime(Boolean(o.json), async (rt) => {
        const budget = o.set === undefined ? await getBudget(rt.ctx) : await setBudget(rt.ctx, { monthly_usd: usd(o.set) });
        if (o.json) return printJson(budget);
        console.log(`monthly budget ${formatUsd(budget.monthly_usd)}${budget.is_default ? ' (the default)' : ''}`);
      }),
    );

  costs
    .command('export')
    .description('every recorded cost line as CSV (to a file, or stdout)')
    .option('--out <file>', 'write to this file instead of stdout')
    .option('--from <YYYY-MM-DD>', 'first day (default: the 1st of this month)')
    .option('--to <YYYY-MM-DD>', 'last day, inclusive (default: today)')
    .option('--source <source>', 'cost_model or cost_explorer (default: both)')
    .action((o: { out?: string; from?: string; to?: string; source?: string }) =>
      withRuntime(false, async (rt) => {
        const { csv, rows } = await exportCostsCsv(rt.ctx, { from: o.from, to: o.to, source: o.source });
        if (!o.out) return void process.stdout.write(csv);
        await fs.writeFile(o.out, csv);
        note(`wrote ${rows} cost line${rows === 1 ? '' : 's'} to ${o.out}`);
      }),
    );

  costs
    .command('record')
    .description("record (or re-record) days' costs now; default yesterday and today")
    .option('--day <YYYY-MM-DD...>', 'days to record')
    .option('--force', 'ask Cost Explorer even if its figures are recent (each request costs $0.01)')
    .option('--json', 'print JSON')
    .action((o: { day?: string[]; force?: boolean; json?: boolean }) =>
      withRuntime(Boolean(o.json), async (rt) => {
        const today = dayKey(new Date());
        const result = await recordCosts(rt.ctx, { days: o.day?.length ? o.day : [addDays(today, -1), today], force: o.force });
        if (o.json) return printJson(result);
        console.log(`recorded ${result.days.join(', ')}: cost model ${formatUsd(result.model.usd)} in ${result.model.lines} lines${result.bill ? `; ${SOURCE_LABELS[result.source]}: ${result.bill.status === 'failed' ? `failed — ${result.bill.error}` : result.bill.status}` : ''}`);
        if (result.bill?.status === 'failed') process.exitCode = 1;
      }),
    );
}
