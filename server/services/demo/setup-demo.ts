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

/**
 * A new installation should not greet people with empty pages: on first start the
 * worker generates a synthetic dataset (calibrated to the real dunnhumby sample)
 * and imports it as "demo". Recorded in the audit log as "demo set-up".
 */
export const DEMO_ACTOR: Actor = { kind: 'system', label: 'demo set-up' };
export const DEMO_DATASET = 'demo';
const SETTING = 'demo';

type DemoState = { status: 'requested' | 'done' | 'failed'; requestedAt?: string; completedAt?: string; versionId?: string; error?: string };

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

export async function setupDemo(ctx: ServiceContext, opts: { rows: number; seed: number }) {
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
    await save({ status: result.version.status === 'ready' ? 'done' : 'failed', completedAt: new Date().toISOString(), versionId: result.version.id });
    logger.info({ versionId: result.version.id, status: result.version.status }, 'demo dataset imported');
    return result.version;
  } catch (error) {
    await save({ status: 'failed', completedAt: new Date().toISOString(), error: (error as Error).message }).catch(() => undefined);
    throw error;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
