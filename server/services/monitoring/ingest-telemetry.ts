import 'server-only';
import { telemetryPrefix, telemetryRecordSchema, type TelemetryRecord } from '@/inference/src/contract';
import type { Prisma } from '@/server/db/client';
import { logger } from '@/server/logger';
import { nowOf, type DbTx, type ServiceContext } from '../context';
import { binNewPredictions, lockDriftRollups } from './drift-rollups';

/**
 * Telemetry (the JSON-lines batches inference instances write to storage) into
 * the Prediction table: each prediction once (keyed by request id and batch item),
 * each feedback joined to its prediction — or kept in PendingFeedback until the
 * prediction arrives (another replica's batch, a later flush). A file is recorded
 * in TelemetryFile in the same transaction as its rows, so it counts exactly once
 * even with two collectors. The rollups the dashboard reads follow in the same
 * transaction: prediction and confusion counts by trigger, drift bins here
 * (drift-rollups.ts).
 *
 * Listing storage is what costs, so a call lists only part of it (`scope`):
 * `recent` the current and previous UTC hour (every tick), `days` today and
 * yesterday (now and then, for late files), `catch-up` older days not yet known
 * to be complete, up to the retention window (at start and hourly); a day is
 * marked complete once all its files are in.
 */
export type IngestScope = 'recent' | 'days' | 'catch-up';
export type IngestOptions = { deployment?: string; scope?: IngestScope; retentionDays: number; maxFiles?: number };
export type IngestReport = { files: number; records: number; predictions: number; feedback: number; pendingFeedback: number; badLines: number; failedFiles: number; skippedFiles: number };

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const CHUNK = 1000;
const caughtUpSetting = (deploymentId: string) => `monitoring.telemetry-caught-up:${deploymentId}`;

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const hourOf = (ms: number) => new Date(ms).toISOString().slice(11, 13);

export async function ingestTelemetry(ctx: Pick<ServiceContext, 'db' | 'adapters' | 'now'>, options: IngestOptions): Promise<IngestReport> {
  const report: IngestReport = { files: 0, records: 0, predictions: 0, feedback: 0, pendingFeedback: 0, badLines: 0, failedFiles: 0, skippedFiles: 0 };
  const deployments = await ctx.db.deployment.findMany({ where: options.deployment ? { name: options.deployment } : {}, select: { id: true, name: true } });
  let budget = options.maxFiles ?? 2000;
  for (const dep of deployments) {
    const now = nowOf(ctx).getTime();
    const base = telemetryPrefix(dep.name);
    const scope = options.scope ?? 'days';
    if (scope === 'catch-up') {
      budget = await catchUp(ctx, dep, options.retentionDays, budget, report);
      continue;
    }
    const prefixes = scope === 'recent'
      ? [now - HOUR_MS, now].map((t) => `${base}${dayOf(t)}/${hourOf(t)}/`)
      : [now - DAY_MS, now].map((t) => `${base}${dayOf(t)}/`);
    const keys = await listNew(ctx, prefixes);
    budget = await ingestKeys(ctx, dep, keys, budget, report);
  }
  return report;
}

/** Older days, from the first not known to be complete (within the retention window) to the day before yesterday. */
async function catchUp(ctx: Pick<ServiceContext, 'db' | 'adapters' | 'now'>, dep: { id: string; name: string }, retentionDays: number, budget: number, report: IngestReport): Promise<number> {
  const now = nowOf(ctx).getTime();
  const setting = await ctx.db.setting.findUnique({ where: { key: caughtUpSetting(dep.id) } });
  const done = (setting?.value as { through?: string } | null)?.through ?? null;
  const oldest = dayOf(now - retentionDays * DAY_MS);
  const lastOld = dayOf(now - 2 * DAY_MS);
  const first = done && done >= oldest ? Date.parse(`${done}T00:00:00Z`) + DAY_MS : Date.parse(`${oldest}T00:00:00Z`);
  for (let t = first; dayOf(t) <= lastOld; t += DAY_MS) {
    const day = dayOf(t);
    const keys = await listNew(ctx, [`${telemetryPrefix(dep.name)}${day}/`]);
    const failedBefore = report.failedFiles;
    const left = await ingestKeys(ctx, dep, keys, budget, report);
    const complete = report.failedFiles === failedBefore && budget - left >= keys.length;
    budget = left;
    if (!complete) break;
    const value = { through: day };
    await ctx.db.setting.upsert({ where: { key: caughtUpSetting(dep.id) }, create: { key: caughtUpSetting(dep.id), value }, update: { value } });
  }
  return budget;
}

/**
 * Telemetry files under the prefixes not yet ingested, oldest first — or
 * rewritten since: an instance restarted under a fixed id starts its sequence
 * again and overwrites its earlier batches of the hour (read again; rows already
 * in count once).
 */
async function listNew(ctx: Pick<ServiceContext, 'db' | 'adapters'>, prefixes: string[]): Promise<FileRef[]> {
  const objects = (await Promise.all(prefixes.map((p) => ctx.adapters.storage.list(p)))).flat().filter((o) => o.key.endsWith('.jsonl'));
  const fresh: FileRef[] = [];
  for (let i = 0; i < objects.length; i += 5000) {
    const chunk = objects.slice(i, i + 5000);
    const known = new Map((await ctx.db.telemetryFile.findMany({ where: { key: { in: chunk.map((o) => o.key) } }, select: { key: true, ingestedAt: true } })).map((f) => [f.key, f.ingestedAt.getTime()]));
    fresh.push(...chunk.filter((o) => !(known.get(o.key)! >= o.modifiedAt.getTime())).map((o) => ({ key: o.key, modifiedAt: o.modifiedAt })));
  }
  return fresh.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

type FileRef = { key: string; modifiedAt: Date };

async function ingestKeys(ctx: Pick<ServiceContext, 'db' | 'adapters'>, dep: { id: string; name: string }, files: FileRef[], budget: number, report: IngestReport): Promise<number> {
  for (const file of files) {
    if (budget <= 0) break;
    budget--;
    await ingestFile(ctx, dep, file, report);
  }
  return budget;
}

/** Reads one file's records; unreadable lines are counted and logged, never fatal. */
export function parseTelemetry(text: string): { records: TelemetryRecord[]; badLines: number; firstProblem: string | null } {
  const records: TelemetryRecord[] = [];
  let badLines = 0;
  let firstProblem: string | null = null;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let parsed;
    try {
      parsed = telemetryRecordSchema.safeParse(JSON.parse(line));
    } catch (error) {
      parsed = { success: false as const, error: error as Error };
    }
    if (parsed.success) records.push(parsed.data);
    else {
      badLines++;
      firstProblem ??= `${line.slice(0, 120)} — ${parsed.error.message.slice(0, 200)}`;
    }
  }
  return { records, badLines, firstProblem };
}

export async function ingestFile(ctx: Pick<ServiceContext, 'db' | 'adapters'>, dep: { id: string; name: string }, file: FileRef, report: IngestReport): Promise<void> {
  const { key, modifiedAt } = file;
  let text: string;
  try {
    text = (await ctx.adapters.storage.getBuffer(key)).toString('utf8');
  } catch (error) {
    // Left unrecorded: the next pass tries again.
    report.failedFiles++;
    logger.warn({ key, err: (error as Error).message }, 'could not read a telemetry file');
    return;
  }
  const { records, badLines, firstProblem } = parseTelemetry(text);
  if (badLines) logger.warn({ key, badLines, example: firstProblem }, 'skipped unreadable telemetry lines');
  const predictions = records.filter((r) => r.type === 'prediction');
  // The last feedback for a prediction wins (a correction), within a file as across files.
  const feedback = [...new Map(records.filter((r) => r.type === 'feedback').map((r) => [`${r.requestId}\u0000${r.item}`, r])).values()];
  const outcome = await ctx.db.$transaction(async (tx) => {
    // Taken first: the worker recounting an hour of drift bins must not run between our inserts and our bins.
    await lockDriftRollups(tx, dep.id);
    // The claim: a file another collector has taken (or already read, unchanged since) is left alone.
    const claimed = await tx.$executeRaw`
      insert into "TelemetryFile" (key, "deploymentId", records, "ingestedAt") values (${key}, ${dep.id}, ${records.length}, ${new Date().toISOString()}::timestamp(3))
      on conflict (key) do update set records = excluded.records, "ingestedAt" = excluded."ingestedAt"
      where "TelemetryFile"."ingestedAt" < ${modifiedAt.toISOString()}::timestamp(3)`;
    if (!claimed) return null;
    let inserted = 0;
    for (let i = 0; i < predictions.length; i += CHUNK) {
      // Rows already in (a rewritten file read again) are skipped; the prediction and confusion rollups follow by trigger.
      const created = await tx.prediction.createManyAndReturn({
        skipDuplicates: true,
        select: { requestId: true, item: true },
        data: predictions.slice(i, i + CHUNK).map((p) => ({
          requestId: p.requestId, item: p.item, deploymentId: dep.id, modelVersionId: p.modelVersionId, keyId: p.keyId, at: new Date(p.at),
          predictedLabel: p.label, probabilities: p.probabilities, latencyMs: p.latencyMs, features: p.features as Prisma.InputJsonValue,
        })),
      });
      await binNewPredictions(tx, dep.id, created);
      inserted += created.length;
    }
    if (predictions.length) await joinPendingFeedback(tx, [...new Set(predictions.map((p) => p.requestId))]);
    const pending = feedback.length ? await applyFeedback(tx, feedback) : 0;
    return { inserted, pending };
  }, { timeout: 60_000 });
  if (!outcome) {
    report.skippedFiles++;
    return;
  }
  report.files++;
  report.records += records.length;
  report.badLines += badLines;
  report.predictions += outcome.inserted;
  report.feedback += feedback.length;
  report.pendingFeedback += outcome.pending;
}

/** Feedback that arrived before these predictions: joined now, and no longer pending. */
async function joinPendingFeedback(tx: DbTx, requestIds: string[]) {
  await tx.$executeRaw`
    update "Prediction" p set "trueLabel" = f."trueLabel", "feedbackAt" = f.at
    from "PendingFeedback" f
    where f."requestId" = any(${requestIds}::text[]) and p."requestId" = f."requestId" and p.item = f.item`;
  await tx.$executeRaw`
    delete from "PendingFeedback" f using "Prediction" p
    where f."requestId" = any(${requestIds}::text[]) and p."requestId" = f."requestId" and p.item = f.item`;
}

/** Sets true labels on known predictions; the rest wait in PendingFeedback. Returns how many wait. */
async function applyFeedback(tx: DbTx, feedback: Extract<TelemetryRecord, { type: 'feedback' }>[]): Promise<number> {
  let pending = 0;
  for (let i = 0; i < feedback.length; i += CHUNK) {
    const chunk = feedback.slice(i, i + CHUNK);
    const ids = chunk.map((f) => f.requestId);
    const items = chunk.map((f) => f.item);
    const labels = chunk.map((f) => f.trueLabel);
    const ats = chunk.map((f) => f.at);
    await tx.$executeRaw`
      update "Prediction" p set "trueLabel" = v.label, "feedbackAt" = v.at
      from unnest(${ids}::text[], ${items}::int[], ${labels}::text[], ${ats}::timestamp(3)[]) as v(rid, item, label, at)
      where p."requestId" = v.rid and p.item = v.item`;
    pending += await tx.$executeRaw`
      insert into "PendingFeedback" ("requestId", item, "trueLabel", at)
      select v.rid, v.item, v.label, v.at
      from unnest(${ids}::text[], ${items}::int[], ${labels}::text[], ${ats}::timestamp(3)[]) as v(rid, item, label, at)
      where not exists (select 1 from "Prediction" p where p."requestId" = v.rid and p.item = v.item)
      on conflict ("requestId", item) do update set "trueLabel" = excluded."trueLabel", at = excluded.at`;
  }
  return pending;
}
