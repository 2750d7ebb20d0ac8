import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@/test/db';
import { tempDir } from '@/test/transactions';
import { createLocalStorage } from '@/server/adapters/storage/local';
import type { Db } from '@/server/db/client';
import type { JobName, JobPayloads, JobQueue } from '@/server/jobs/queue-port';
import { continueDemoSetup, DEMO_ACTOR, requestDemoSetup, setupDemo } from './setup-demo';

let db: Db;
let dir: string;
beforeAll(async () => {
  ({ db } = await createTestDatabase());
  dir = await tempDir();
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** Records what would be sent to pg-boss. */
function recordingQueue() {
  const sent: { name: JobName; data: unknown }[] = [];
  const queue: JobQueue = {
    async send<N extends JobName>(name: N, data: JobPayloads[N]) {
      sent.push({ name, data });
      return `job-${sent.length}`;
    },
  };
  return { queue, sent };
}

describe('the first-start demo', () => {
  it('is requested once per installation, even when two processes start together', async () => {
    const { queue, sent } = recordingQueue();
    const results = await Promise.all([requestDemoSetup(db, queue, { rows: 20_000 }), requestDemoSetup(db, queue, { rows: 20_000 })]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(sent).toEqual([{ name: 'demo.setup', data: { rows: 20_000, seed: 42 } }]);
    expect(await requestDemoSetup(db, queue, { rows: 20_000 })).toBe(false);
  });

  it('imports a generated dataset as "demo", audited as the demo set-up', async () => {
    const ctx = { actor: DEMO_ACTOR, db, adapters: { storage: createLocalStorage(path.join(dir, 'storage')), workDir: path.join(dir, 'work') } };
    const version = await setupDemo(ctx, { rows: 20_000, seed: 42, train: false });
    expect(version).toMatchObject({ status: 'ready', version: 1, rowCount: 20_000, dataset: { name: 'demo' } });
    expect(version.profile!.labels.map((l) => l.label)).toEqual(['LA', 'MM', 'UM', 'XX']);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: 'dataset.version_ready' } });
    expect(audit.actorLabel).toBe('demo set-up');
    expect((await db.setting.findUniqueOrThrow({ where: { key: 'demo' } })).value).toMatchObject({ status: 'done', versionId: version.id });
  });

  it('then trains the default model: a run launched as the demo set-up, the set-up waiting for it', async () => {
    const { queue, sent } = recordingQueue();
    const fresh = await createTestDatabase();
    await requestDemoSetup(fresh.db, queue, { rows: 20_000 });
    const ctx = { actor: DEMO_ACTOR, db: fresh.db, adapters: { storage: createLocalStorage(path.join(dir, 'storage-2')), workDir: path.join(dir, 'work'), queue } };
    await setupDemo(ctx, { rows: 20_000, seed: 42 });
    const run = await fresh.db.run.findFirstOrThrow({ where: { tags: { has: 'demo' } } });
    expect(run).toMatchObject({ algorithm: 'logistic_regression', status: 'queued' });
    expect(sent.map((s) => s.name)).toEqual(['demo.setup', 'run.execute']);
    expect((await fresh.db.setting.findUniqueOrThrow({ where: { key: 'demo' } })).value).toMatchObject({ status: 'training', runId: run.id });
    expect(await continueDemoSetup(ctx)).toBeNull();
  });

  it('is not requested when datasets already exist', async () => {
    const fresh = await createTestDatabase();
    await fresh.db.dataset.create({ data: { name: 'mine' } });
    const { queue, sent } = recordingQueue();
    expect(await requestDemoSetup(fresh.db, queue, { rows: 20_000 })).toBe(false);
    expect(sent).toEqual([]);
  });
});
