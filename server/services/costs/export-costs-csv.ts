import 'server-only';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { addDays, COST_SOURCES, dayKey, daySchema, dayStart, formatUsd } from '@/lib/costs';
import { AppError, parseInput } from '@/server/errors';
import { assertCan, nowOf, type ServiceContext } from '../context';

/**
 * Every recorded cost line between two days (inclusive) as CSV, one row per line:
 * spreadsheets sum and pivot it. In AWS mode the file holds both sources — the
 * bill (cost_explorer) and the model's attribution (cost_model) — so sum one
 * `source` at a time, or ask for one.
 */

const MAX_SPAN_DAYS = 366;

export const CSV_COLUMNS = ['day', 'source', 'component', 'amount_usd', 'usage_quantity', 'usage_unit', 'run', 'model_version', 'deployment', 'description'] as const;

const inputSchema = z
  .object({
    from: daySchema.optional(),
    to: daySchema.optional(),
    source: z.enum(COST_SOURCES, { error: `must be one of ${COST_SOURCES.join(', ')}` }).optional(),
  })
  .strict();

type Details = Record<string, unknown> | null;

function describe(component: string, details: Details, names: { run?: string; deployment?: string }): string {
  const d = details ?? {};
  if (d.services && typeof d.services === 'object') {
    return Object.entries(d.services as Record<string, number>).map(([service, usd]) => `${service} ${formatUsd(usd)}`).join('; ');
  }
  switch (component) {
    case 'training':
      return `${names.run ?? 'run'} on ${String(d.instanceType ?? 'unknown instance')}`;
    case 'inference':
      return `${names.deployment ?? 'deployment'}: ${String(d.node ?? 'node')} share ${Number(d.nodeShare ?? 0) * 100}%`;
    case 'storage':
      return `${Number(d.objects ?? 0).toLocaleString('en-US')} objects`;
    case 'data_transfer':
      return `${Number(d.predictions ?? 0).toLocaleString('en-US')} predictions in ${Number(d.requests ?? 0).toLocaleString('en-US')} requests (estimated response bytes)`;
    case 'control_plane':
      return `always-on infrastructure of the ${String(d.stack ?? 'dev')} stack`;
    default:
      return '';
  }
}

/** CSV text and a file name. `from`/`to` default to the current month so far. */
export async function exportCostsCsv(ctx: ServiceContext, input: { from?: string; to?: string; source?: string } = {}): Promise<{ filename: string; csv: string; rows: number }> {
  assertCan(ctx, 'read');
  const parsed = parseInput(inputSchema, Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined && v !== '')));
  const today = dayKey(nowOf(ctx));
  const from = parsed.from ?? `${today.slice(0, 7)}-01`;
  const to = parsed.to ?? today;
  if (to < from) throw new AppError('VALIDATION', `Invalid input — to: must be on or after from (${from})`, { fields: [{ field: 'to', message: `must be on or after from (${from})` }] });
  if (addDays(from, MAX_SPAN_DAYS - 1) < to) throw new AppError('VALIDATION', `Invalid input — to: at most ${MAX_SPAN_DAYS} days from from`, { fields: [{ field: 'to', message: `at most ${MAX_SPAN_DAYS} days after from` }] });

  const records = await ctx.db.costRecord.findMany({
    where: { day: { gte: dayStart(from), lte: dayStart(to) }, ...(parsed.source ? { source: parsed.source } : {}) },
    orderBy: [{ day: 'asc' }, { source: 'asc' }, { component: 'asc' }, { amountUsd: 'desc' }],
  });
  const ids = (key: 'runId' | 'deploymentId' | 'modelVersionId') => [...new Set(records.map((r) => r[key]).filter((v): v is string => v !== null))];
  const [runs, deployments, versions] = await Promise.all([
    ctx.db.run.findMany({ where: { id: { in: ids('runId') } }, select: { id: true, number: true } }),
    ctx.db.deployment.findMany({ where: { id: { in: ids('deploymentId') } }, select: { id: true, name: true } }),
    ctx.db.modelVersion.findMany({ where: { id: { in: ids('modelVersionId') } }, select: { id: true, modelName: true, version: true } }),
  ]);
  const runName = new Map(runs.map((r) => [r.id, `run #${r.number}`]));
  const deploymentName = new Map(deployments.map((d) => [d.id, d.name]));
  const versionName = new Map(versions.map((v) => [v.id, `${v.modelName} v${v.version}`]));

  const rows = records.map((r) => {
    const run = r.runId ? runName.get(r.runId) ?? r.runId : '';
    const deployment = r.deploymentId ? deploymentName.get(r.deploymentId) ?? r.deploymentId : '';
    return {
      day: dayKey(r.day), source: r.source, component: r.component, amount_usd: r.amountUsd.toFixed(6),
      usage_quantity: r.usageQuantity === null ? '' : Number(r.usageQuantity.toFixed(6)), usage_unit: r.usageUnit ?? '',
      run, model_version: r.modelVersionId ? versionName.get(r.modelVersionId) ?? r.modelVersionId : '', deployment,
      description: describe(r.component, r.details as Details, { run, deployment }),
    };
  });
  const csv = stringify(rows, { header: true, columns: [...CSV_COLUMNS] });
  return { filename: `pricesense-costs-${from}-to-${to}${parsed.source ? `-${parsed.source}` : ''}.csv`, csv, rows: rows.length };
}
