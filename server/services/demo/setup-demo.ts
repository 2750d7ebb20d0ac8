import 'server-only';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writeSyntheticFile } from '@/server/datasets/synthetic/write-file';
import type { Db, Prisma } from '@/server/db/client';
import type { JobQueue } from '@/server/jobs/queue-port';
import { logger } from '@/server/logger';
import type { Actor, ServiceContext } from '../context';
import { importLocalFiles } from '../datasets/import-local-files';
import { deployModel } from '../deployments/deploy-model';
import { decideModel } from '../models/decide-model';
import { registerModel } from '../models/register-model';
import { launchRun } from '../runs/launch-run';

/** Logistic regression: trains in seconds and is the strongest model on product-presence features. */
const DEMO_ALGORITHM = 'logistic_regression';
const DEMO_PARAMS = {};

/**
 * A new installation should not greet people with empty pages: on first start the
 * worker generates a synthetic dataset (calibrated to the real dunnhumby sample),
 * imports it as "demo", trains a default model on it, registers, approves and
 * deploys it to production — so the prediction API answers at once. Every step is
 * in the audit log as "demo set-up".
 */
export const DEMO_ACTOR: Actor = { kind: 'system', label: 'demo set-up' };
export const DEMO_DATASET = 'demo';
const SETTING = 'demo';

type DemoState = { status: 'requested' | 'training' | 'done' | 'failed'; requestedAt?: string; completedAt?: string; versionId?: string; runId?: string; error?: string };

/** Called at start-up. Returns true when the set-up was queued (only ever once per installation). */
export async function requestDemoSetup(db: Db, queue: JobQueue, opts: { rows: number; seed?: number }) {
  const queued = await db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe('select pg_advisory_xact_lock(7270002)');
    if ((await tx.setting.findUnique({ where: { key: SETTING } })) || (await tx.dataset.count()) > 0) return false;
    const state: DemoState = { status: 'requested', requestedAt: new Date().toISOString() };
    await tx.setting.create({ data: { key: SETTING, value: state as unknown as Prisma.InputJsonValue } });
    return true;
  });
  if (queued) await queue.send('demo.setup', { rows: opts.rows, seed: opts.seed ?? 42 });
  return queued;
}

/** `train: false` stops after the import (tests of datasets and runs that need only the data). */
export async function setupDemo(ctx: ServiceContext, opts: { rows: number; seed: number; train?: boolean }) {
  const root = ctx.adapters.workDir ?? os.tmpdir();
  await fs.mkdir(root, { recursive: true });
  const dir = await fs.mkdtemp(path.join(root, 'demo-'));
  const save = (state: DemoState) => ctx.db.setting.update({ where: { key: SETTING }, data: { value: state as unknown as Prisma.InputJsonValue } });
  try {
    const file = path.join(dir, `synthetic-${opts.rows}-rows-seed-${opts.seed}.csv.gz`);
    await writeSyntheticFile({ rows: opts.rows, seed: opts.seed, out: file });
    const result = await importLocalFiles(ctx, {
      dataset: DEMO_DATASET,
      description: `Synthetic transactions (${opts.rows.toLocaleString('en-US')} rows, seed ${opts.seed}) generated at first start, calibrated to the dunnhumby sample.`,
      paths: [file],
    });
    logger.info({ versionId: result.version.id, status: result.version.status }, 'demo dataset imported');
    if (opts.train === false && result.version.status === 'ready') {
      await save({ status: 'done', completedAt: new Date().toISOString(), versionId: result.version.id });
      return result.version;
    }
    if (result.version.status !== 'ready') {
      await save({ status: 'failed', completedAt: new Date().toISOString(), versionId: result.version.id, error: `the demo dataset is ${result.version.status}` });
      return result.version;
    }
    const run = await launchRun(ctx, { dataset: result.version.id, name: 'Demo default model', tags: ['demo'], params: DEMO_PARAMS, algorithm: DEMO_ALGORITHM });
    await save({ status: 'training', versionId: result.version.id, runId: run.id });
    return result.version;
  } catch (error) {
    await save({ status: 'failed', completedAt: new Date().toISOString(), error: (error as Error).message }).catch(() => undefined);
    throw error;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/**
 * The second half of the set-up, once the demo run has finished (the worker calls
 * it after every run, and the minute recovery job calls it too, so a worker
 * restart in between cannot leave the set-up half done): register the model,
 * approve it as the demo set-up (no human trained it, so four-eyes does not
 * apply) and deploy it to production. Idempotent.
 */
export async function continueDemoSetup(ctx: ServiceContext) {
  const row = await ctx.db.setting.findUnique({ where: { key: SETTING } });
  const state = row?.value as DemoState | undefined;
  if (state?.status !== 'training' || !state.runId) return null;
  const run = await ctx.db.run.findUnique({ where: { id: state.runId }, select: { status: true, error: true, modelVersion: { select: { id: true, status: true } } } });
  if (!run || run.status === 'queued' || run.status === 'running') return null;
  // The worker (after a run) and the minute job may both get here: only one claims the
  // finish. A claim left by a worker that died is taken over after five minutes.
  const claimed = await ctx.db.$executeRawUnsafe(
    `update "Setting" set value = value || jsonb_build_object('claimedAt', now()::text), "updatedAt" = now()
     where key = $1 and value->>'status' = 'training' and (value->>'claimedAt' is null or (value->>'claimedAt')::timestamptz < now() - interval '5 minutes')`,
    SETTING,
  );
  if (!claimed) return null;
  const save = (next: DemoState) => ctx.db.setting.update({ where: { key: SETTING }, data: { value: next as unknown as Prisma.InputJsonValue } });
  if (run.status !== 'succeeded') {
    await save({ ...state, status: 'failed', completedAt: new Date().toISOString(), error: `the demo run ${run.status}: ${run.error ?? 'no reason given'}` });
    return 'failed' as const;
  }
  try {
    const model = run.modelVersion ?? (await registerModel(ctx, { runId: state.runId, comment: 'Default model trained on the demo dataset at first start.' }));
    if (model.status === 'PendingManualApproval') {
      const full = await ctx.db.modelVersion.findUniqueOrThrow({ where: { id: model.id }, select: { gatesPassed: true } });
      await decideModel(ctx, model.id, {
        decision: 'approve',
        comment: 'Approved automatically by the demo set-up: demo data only, so a new installation has a working prediction API.',
        ...(full.gatesPassed ? {} : { overrideReason: 'Demo set-up on synthetic data; not a production decision.' }),
      });
    }
    const deployed = await ctx.db.deployment.findUnique({ where: { name: 'production' }, select: { currentModelVersionId: true } });
    if (!deployed?.currentModelVersionId) await deployModel(ctx, { model: model.id, deployment: 'production', comment: 'Demo set-up: the default model serves production.' });
    await save({ ...state, status: 'done', completedAt: new Date().toISOString() });
    logger.info({ modelVersionId: model.id }, 'demo model registered, approved and deployed to production');
    return 'done' as const;
  } catch (error) {
    await save({ ...state, status: 'failed', completedAt: new Date().toISOString(), error: (error as Error).message });
    throw error;
  }
}
