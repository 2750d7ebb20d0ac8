import 'server-only';
import { telemetryPrefix } from '@/inference/src/contract';
import { logger } from '@/server/logger';
import type { ServiceContext } from '../context';

/**
 * Telemetry files leave storage once they are both ingested and past the retention
 * window, as the predictions they held leave the database. A file goes only when
 * TelemetryFile records it as read at or after its last write (the same test
 * ingestion uses to skip it), and only from an hour folder that ends before the
 * cutoff: a file never read, or rewritten since it was read, stays (and is
 * counted), so no record is lost to clean-up. Each TelemetryFile row goes once
 * its object is gone, never before: a forgotten row would turn an ingested file
 * into one that looks unread and is then kept for ever.
 *
 * Idempotent and resumable: deleting a missing object is no error, a row whose
 * object is gone is dropped on the next pass, and a pass stops after MAX_DELETES
 * objects (the next hour carries on).
 */
export type TelemetryCleanup = { deleted: number; keptNotIngested: number; rows: number; failed: number };

const MAX_DELETES = 20_000;
const MAX_FOLDERS = 2_000;
const CONCURRENCY = 8;

/** "YYYY-MM-DD/HH" of the hour folder holding `at` (telemetryKey's layout). */
const hourFolder = (at: Date) => `${at.toISOString().slice(0, 10)}/${at.toISOString().slice(11, 13)}`;

export async function deleteIngestedTelemetry(ctx: Pick<ServiceContext, 'db' | 'adapters'>, dep: { id: string; name: string }, cutoff: Date): Promise<TelemetryCleanup> {
  const report: TelemetryCleanup = { deleted: 0, keptNotIngested: 0, rows: 0, failed: 0 };
  const base = telemetryPrefix(dep.name);
  // Hour folders that hold ingested files and end at or before the cutoff's hour starts; "C" collation: byte order.
  const folders = await ctx.db.$queryRaw<{ folder: string }[]>`
    select distinct substr(key, ${base.length + 1}::int, 13) as folder from "TelemetryFile"
    where "deploymentId" = ${dep.id} and starts_with(key, ${base}) and substr(key, ${base.length + 1}::int, 13) collate "C" < ${hourFolder(cutoff)}
    order by 1 limit ${MAX_FOLDERS}`;
  for (const { folder } of folders) {
    if (report.deleted >= MAX_DELETES) break;
    const prefix = `${base}${folder}/`;
    const [objects, rows] = await Promise.all([
      ctx.adapters.storage.list(prefix),
      ctx.db.telemetryFile.findMany({ where: { deploymentId: dep.id, key: { startsWith: prefix } }, select: { key: true, ingestedAt: true } }),
    ]);
    const readAt = new Map(rows.map((r) => [r.key, r.ingestedAt.getTime()]));
    const doomed = objects.filter((o) => (readAt.get(o.key) ?? -1) >= o.modifiedAt.getTime()).map((o) => o.key);
    report.keptNotIngested += objects.length - doomed.length;
    const removed = await deleteKeys(ctx, doomed, report);
    const present = new Set(objects.map((o) => o.key));
    const gone = rows.filter((r) => !present.has(r.key) || removed.has(r.key)).map((r) => r.key);
    if (gone.length) report.rows += (await ctx.db.telemetryFile.deleteMany({ where: { key: { in: gone } } })).count;
  }
  if (report.keptNotIngested) logger.warn({ deployment: dep.name, files: report.keptNotIngested, before: cutoff.toISOString() }, 'telemetry files past the retention window were never ingested (or changed since): left in storage');
  return report;
}

/** Deletes with bounded concurrency; a failure is logged and counted, and its row kept for the next pass. */
async function deleteKeys(ctx: Pick<ServiceContext, 'adapters'>, keys: string[], report: TelemetryCleanup): Promise<Set<string>> {
  const removed = new Set<string>();
  let next = 0;
  let firstError: string | null = null;
  const worker = async () => {
    while (next < keys.length) {
      const key = keys[next++]!;
      try {
        await ctx.adapters.storage.delete(key);
        removed.add(key);
        report.deleted++;
      } catch (error) {
        report.failed++;
        firstError ??= `${key}: ${(error as Error).message}`;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, keys.length) }, worker));
  if (firstError) logger.warn({ failed: keys.length - removed.size, example: firstError }, 'could not delete some telemetry files; retrying at the next retention pass');
  return removed;
}
