import 'server-only';
import { Prisma, type Db, type DbTx } from '@/server/db/client';
import { logger } from '@/server/logger';
import { nowOf, type ServiceContext } from '../context';
import { binKeysSql } from './drift-bins';
import type { BaselineFeatures } from './drift-psi';
import { HOUR_MS, inSpans, type Span } from './rollup-spans';

/**
 * Drift-feature bin counts per hour (DriftRollup), so drift over 30 days reads
 * ~720 × bins rows rather than millions of predictions. Bins depend on the
 * baseline (numeric edges are training deciles), so the counts are kept against
 * one model version's baseline per deployment — the one it serves:
 *
 * - a DriftRollupState row says which baseline a deployment's traffic is binned
 *   against and from which hour on the bins are complete (`binnedFrom`);
 * - telemetry ingestion bins the predictions it inserts against every such
 *   baseline, in the same transaction (binNewPredictions);
 * - the worker, when a deployment serves a version whose baseline is not binned
 *   yet, bins the retained history hour by hour, newest first (syncDriftRollups):
 *   each hour is counted again from the Prediction rows and replaces what was there.
 *
 * Both take the deployment's drift lock, so an hour recounted never misses, nor
 * counts twice, a file ingested meanwhile. Until the history is binned, drift
 * reads the raw rows (drift.ts), as before.
 */
export async function lockDriftRollups(tx: DbTx, deploymentId: string): Promise<void> {
  await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${`monitoring-drift:${deploymentId}`}))`;
}

type Binned = { modelVersionId: string; baseline: BaselineFeatures };

/** The baselines whose bins this deployment keeps (a state whose hash still matches its baseline). */
async function binnedBaselines(db: Db | DbTx, deploymentId: string): Promise<Binned[]> {
  const rows = await db.$queryRaw<{ mv: string; features: BaselineFeatures }[]>`
    select s."modelVersionId" as mv, b.features from "DriftRollupState" s join "DriftBaseline" b on b."modelVersionId" = s."modelVersionId"
    where s."deploymentId" = ${deploymentId} and s."baselineHash" = md5(b.features::text)`;
  return rows.map((r) => ({ modelVersionId: r.mv, baseline: r.features }));
}

/** Ingestion: adds the predictions just inserted (by key) to the hour bins of every baseline the deployment keeps. Call under lockDriftRollups. */
export async function binNewPredictions(tx: DbTx, deploymentId: string, inserted: readonly { requestId: string; item: number }[]): Promise<void> {
  if (!inserted.length) return;
  for (const { modelVersionId, baseline } of await binnedBaselines(tx, deploymentId)) {
    await tx.$executeRaw`
      insert into "DriftRollup" as r ("deploymentId", "modelVersionId", "bucketStart", key, n)
      select ${deploymentId}, ${modelVersionId}, date_trunc('hour', p.at), k, count(*)::int
      from unnest(${inserted.map((i) => i.requestId)}::text[], ${inserted.map((i) => i.item)}::int[]) as v(rid, item)
      join "Prediction" p on p."requestId" = v.rid and p.item = v.item
      cross join lateral unnest(${binKeysSql(baseline)}) as k
      where p."deploymentId" = ${deploymentId} and p.features is not null and k is not null
      group by 3, 4 order by 3, 4
      on conflict ("deploymentId", "modelVersionId", "bucketStart", key) do update set n = r.n + excluded.n`;
  }
}

/**
 * Bin counts of a deployment's traffic in the whole hours `hours` against a model
 * version's baseline, or null when those hours are not all binned yet (or the
 * baseline changed since): the caller then counts from the raw rows.
 */
export async function readDriftRollup(db: Db | DbTx, q: { deploymentId: string; modelVersionId: string; hours: Span }): Promise<{ k: number; n: number }[] | null> {
  const [state] = await db.$queryRaw<{ binnedFrom: Date | null; current: boolean }[]>`
    select s."binnedFrom", s."baselineHash" = md5(b.features::text) as current
    from "DriftRollupState" s join "DriftBaseline" b on b."modelVersionId" = s."modelVersionId"
    where s."deploymentId" = ${q.deploymentId} and s."modelVersionId" = ${q.modelVersionId}`;
  if (!state?.current || !state.binnedFrom) return null;
  const binnedFrom = state.binnedFrom.getTime();
  // Hours before the binned history count only if they hold no predictions (past retention, before the first one).
  if (binnedFrom > q.hours.from) {
    const [older] = await db.$queryRaw<{ any: boolean }[]>`
      select exists (select 1 from "PredictionRollup" where "deploymentId" = ${q.deploymentId} and ${inSpans(Prisma.sql`"bucketStart"`, [{ from: q.hours.from, to: binnedFrom }])} and predictions > 0) as any`;
    if (older?.any) return null;
  }
  const rows = await db.$queryRaw<{ k: number; n: bigint }[]>`
    select key as k, sum(n)::bigint as n from "DriftRollup"
    where "deploymentId" = ${q.deploymentId} and "modelVersionId" = ${q.modelVersionId} and ${inSpans(Prisma.sql`"bucketStart"`, [q.hours])}
    group by 1`;
  return rows.map((r) => ({ k: r.k, n: Number(r.n) }));
}

export type DriftSyncReport = { deployments: number; hoursBinned: number; done: boolean };

/**
 * The worker's part: for each deployment serving a version with a baseline, make
 * sure its traffic is binned against that baseline (bins of other versions are
 * dropped), binning the retained history newest hour first until `budgetMs` is
 * spent; the next call goes on where this one stopped.
 */
export async function syncDriftRollups(ctx: Pick<ServiceContext, 'db' | 'now'>, options: { retentionDays: number; budgetMs?: number }): Promise<DriftSyncReport> {
  const started = performance.now();
  const budget = options.budgetMs ?? 10_000;
  const report: DriftSyncReport = { deployments: 0, hoursBinned: 0, done: true };
  const deployments = await ctx.db.deployment.findMany({ select: { id: true, currentModelVersionId: true } });
  for (const dep of deployments) {
    const mv = dep.currentModelVersionId;
    const [baseline] = mv
      ? await ctx.db.$queryRaw<{ features: BaselineFeatures; hash: string }[]>`select features, md5(features::text) as hash from "DriftBaseline" where "modelVersionId" = ${mv}`
      : [];
    // Bins of another version, or of a baseline computed again since, are dropped: ingestion stops keeping them.
    const state = await ctx.db.$transaction(async (tx) => {
      await lockDriftRollups(tx, dep.id);
      const stale = await tx.driftRollupState.findMany({
        where: { deploymentId: dep.id, ...(mv && baseline ? { OR: [{ modelVersionId: { not: mv } }, { baselineHash: { not: baseline.hash } }] } : {}) },
        select: { modelVersionId: true },
      });
      for (const s of stale) {
        await tx.driftRollup.deleteMany({ where: { deploymentId: dep.id, modelVersionId: s.modelVersionId } });
        await tx.driftRollupState.delete({ where: { deploymentId_modelVersionId: { deploymentId: dep.id, modelVersionId: s.modelVersionId } } });
      }
      if (!mv || !baseline) return null;
      return tx.driftRollupState.upsert({
        where: { deploymentId_modelVersionId: { deploymentId: dep.id, modelVersionId: mv } },
        create: { deploymentId: dep.id, modelVersionId: mv, baselineHash: baseline.hash },
        update: {},
      });
    });
    if (!mv || !baseline || !state) continue;
    report.deployments++;
    const oldest = Math.floor((nowOf(ctx).getTime() - options.retentionDays * 86_400_000) / HOUR_MS) * HOUR_MS;
    let next = state.binnedFrom?.getTime() ?? null;
    if (next === null) {
      // From the hour of the newest prediction (an instance's clock may run ahead of ours), or now.
      const [{ latest }] = (await ctx.db.$queryRaw<{ latest: Date | null }[]>`select max(at) as latest from "Prediction" where "deploymentId" = ${dep.id}`) as [{ latest: Date | null }];
      next = Math.floor(Math.max(nowOf(ctx).getTime(), latest?.getTime() ?? 0) / HOUR_MS) * HOUR_MS + HOUR_MS;
    }
    const before = report.hoursBinned;
    while (next > oldest) {
      if (performance.now() - started > budget) {
        report.done = false;
        break;
      }
      // The next older hour with predictions (hours without any are complete as they are).
      const [{ hour: found }] = (await ctx.db.$queryRaw<{ hour: Date | null }[]>`
        select max("bucketStart") as hour from "PredictionRollup"
        where "deploymentId" = ${dep.id} and "bucketStart" >= ${new Date(oldest).toISOString()}::timestamp(3) and "bucketStart" < ${new Date(next).toISOString()}::timestamp(3) and predictions > 0`) as [{ hour: Date | null }];
      const hour = found ? found.getTime() : oldest;
      await ctx.db.$transaction(async (tx) => {
        await lockDriftRollups(tx, dep.id);
        await binHour(tx, dep.id, mv, baseline.features, hour);
        await tx.driftRollupState.update({ where: { deploymentId_modelVersionId: { deploymentId: dep.id, modelVersionId: mv } }, data: { binnedFrom: new Date(hour) } });
      }, { timeout: 60_000 });
      if (found) report.hoursBinned++;
      next = hour;
    }
    if (report.hoursBinned > before) logger.info({ deploymentId: dep.id, modelVersionId: mv, hours: report.hoursBinned - before, binnedFrom: new Date(next).toISOString() }, 'drift bins: history binned against the serving model\'s baseline');
  }
  return report;
}

/** One hour's bins counted again from the Prediction rows, replacing what was kept. */
async function binHour(tx: DbTx, deploymentId: string, modelVersionId: string, baseline: BaselineFeatures, hour: number): Promise<void> {
  const start = new Date(hour).toISOString();
  await tx.$executeRaw`delete from "DriftRollup" where "deploymentId" = ${deploymentId} and "modelVersionId" = ${modelVersionId} and "bucketStart" = ${start}::timestamp(3)`;
  await tx.$executeRaw`
    insert into "DriftRollup" ("deploymentId", "modelVersionId", "bucketStart", key, n)
    select ${deploymentId}, ${modelVersionId}, ${start}::timestamp(3), k, count(*)::int
    from "Prediction" p cross join lateral unnest(${binKeysSql(baseline)}) as k
    where p."deploymentId" = ${deploymentId} and p.at >= ${start}::timestamp(3) and p.at < ${new Date(hour + HOUR_MS).toISOString()}::timestamp(3)
      and p.features is not null and k is not null
    group by k order by k`;
}
