import 'server-only';
import { z } from 'zod';
import { addDays, dayKey, daySchema, dayStart } from '@/lib/costs';
import { createCostModel, CostSourceError, type CostLine } from '@/server/adapters/costs';
import type { Db, DbTx, Prisma } from '@/server/db/client';
import { AppError, parseInput } from '@/server/errors';
import { assertCan, nowOf, type ServiceContext } from '../context';
import { installedAt, measureDay } from './measure-usage';

/**
 * Recording: each UTC day's cost lines are recomputed and replaced, per source,
 * in one transaction — recording a day twice gives the same rows, never twice the
 * cost. The cost model's rows are always written (they attribute costs to runs,
 * model versions and deployments); in AWS mode Cost Explorer's rows are written
 * beside them, at most every few hours (each request is billed).
 */

export const SOURCE_STATUS_SETTING = 'cost-source-status';
/** Serialises recordings (worker schedule, worker start-up, CLI) so two never interleave their delete + insert. */
const LOCK_KEY = 7_301_746_215;
const MAX_DAYS = 62;

export type SourceStatus = { lastFetchAt: string | null; lastError: string | null; lastErrorAt: string | null };

export async function readSourceStatus(db: Db | DbTx): Promise<SourceStatus> {
  const row = await db.setting.findUnique({ where: { key: SOURCE_STATUS_SETTING } });
  const v = (row?.value ?? {}) as Partial<SourceStatus>;
  return { lastFetchAt: v.lastFetchAt ?? null, lastError: v.lastError ?? null, lastErrorAt: v.lastErrorAt ?? null };
}

const daysInput = z.array(daySchema).min(1, 'needs at least one day').max(MAX_DAYS, `at most ${MAX_DAYS} days at once`);

export type RecordResult = {
  days: string[];
  source: 'cost_model' | 'cost_explorer';
  model: { lines: number; usd: number };
  /** Cost Explorer's rows: written, kept from an earlier fetch (fresh enough), or failed (the message). */
  bill: { status: 'written'; lines: number; usd: number } | { status: 'kept'; lastFetchAt: string } | { status: 'failed'; error: string } | null;
};

const sum = (lines: CostLine[]) => Math.round(lines.reduce((s, l) => s + l.amountUsd, 0) * 1e6) / 1e6;

function toRow(source: string, line: CostLine): Prisma.CostRecordCreateManyInput {
  return {
    day: dayStart(line.day), component: line.component, source, amountUsd: line.amountUsd.toFixed(6),
    usageQuantity: line.usageQuantity ?? null, usageUnit: line.usageUnit ?? null,
    runId: line.runId ?? null, modelVersionId: line.modelVersionId ?? null, deploymentId: line.deploymentId ?? null,
    details: (line.details ?? undefined) as Prisma.InputJsonValue | undefined,
  };
}

/** Record (or re-record) the given UTC days. `force` asks Cost Explorer even if its figures are recent. */
export async function recordCosts(ctx: ServiceContext, input: { days: string[]; force?: boolean }): Promise<RecordResult> {
  assertCan(ctx, 'settings:write');
  const days = [...new Set(parseInput(z.object({ days: daysInput }), { days: input.days }).days)].sort();
  const now = nowOf(ctx);
  const future = days.find((d) => dayStart(d) > now);
  if (future) throw new AppError('VALIDATION', `Invalid input — days: ${future} is in the future`, { fields: [{ field: 'days', message: `${future} is in the future` }] });

  const model = createCostModel();
  const source = ctx.adapters.costs ?? model;
  const dates = days.map(dayStart);
  const previous = await ctx.db.costRecord.findMany({ where: { day: { in: dates }, source: 'cost_model' }, select: { day: true, component: true, deploymentId: true, details: true } });
  const installed = await installedAt(ctx);
  const usages = [];
  for (const day of days) {
    usages.push(await measureDay(ctx, day, { now, installedAt: installed, previous: previous.filter((p) => dayKey(p.day) === day) }));
  }
  const modelLines = await model.dailyCosts(usages);

  let bill: RecordResult['bill'] = null;
  let billLines: CostLine[] | null = null;
  if (source.kind !== 'cost_model') {
    const status = await readSourceStatus(ctx.db);
    const fresh = status.lastFetchAt && now.getTime() - Date.parse(status.lastFetchAt) < source.refreshMs;
    if (fresh && !input.force) bill = { status: 'kept', lastFetchAt: status.lastFetchAt! };
    else {
      try {
        billLines = await source.dailyCosts(usages);
        bill = { status: 'written', lines: billLines.length, usd: sum(billLines) };
      } catch (error) {
        if (!(error instanceof CostSourceError)) throw error;
        bill = { status: 'failed', error: error.message };
      }
    }
  }

  await ctx.db.$transaction(async (tx) => {
    await tx.$queryRaw`select 1 from pg_advisory_xact_lock(${LOCK_KEY}::bigint)`;
    await tx.costRecord.deleteMany({ where: { day: { in: dates }, source: 'cost_model' } });
    if (modelLines.length) await tx.costRecord.createMany({ data: modelLines.map((l) => toRow('cost_model', l)) });
    if (billLines) {
      await tx.costRecord.deleteMany({ where: { day: { in: dates }, source: source.kind } });
      if (billLines.length) await tx.costRecord.createMany({ data: billLines.map((l) => toRow(source.kind, l)) });
    }
    if (bill && bill.status !== 'kept') {
      const before = await readSourceStatus(tx);
      const value: SourceStatus = bill.status === 'written'
        ? { lastFetchAt: now.toISOString(), lastError: null, lastErrorAt: null }
        : { lastFetchAt: before.lastFetchAt, lastError: bill.error, lastErrorAt: now.toISOString() };
      await tx.setting.upsert({ where: { key: SOURCE_STATUS_SETTING }, create: { key: SOURCE_STATUS_SETTING, value }, update: { value } });
    }
  });
  return { days, source: source.kind, model: { lines: modelLines.length, usd: sum(modelLines) }, bill };
}

/** recordCosts for one day. */
export function recordDailyCosts(ctx: ServiceContext, day: string, opts: { force?: boolean } = {}) {
  return recordCosts(ctx, { days: [day], force: opts.force });
}

/** What the worker runs every 10 minutes: yesterday (late runs and the day's last hours) and today so far. */
export function recordRecentCosts(ctx: ServiceContext) {
  const today = dayKey(nowOf(ctx));
  return recordCosts(ctx, { days: [addDays(today, -1), today] });
}
