import path from 'node:path';
import fs from 'node:fs/promises';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { telemetryKey } from '@/inference/src/contract';
import { createLocalStorage } from '@/server/adapters/storage/local';
import type { StoragePort } from '@/server/adapters/storage/port';
import { createS3Client, createS3Storage } from '@/server/adapters/storage/s3';
import type { Db } from '@/server/db/client';
import { createTestDatabase } from '@/test/db';
import { MOTO_CREDENTIALS, startMoto, type MotoServer } from '@/test/moto';
import { tempDir } from '@/test/transactions';
import type { ServiceContext } from '../context';
import { applyRetention } from './apply-retention';
import { ingestFile, type IngestReport } from './ingest-telemetry';

/**
 * Telemetry files leave storage once ingested and past the retention window —
 * and only then — on the local folder and on S3 (moto) alike: a file never read,
 * or rewritten since it was read, stays; so do files of the cutoff's own hour and
 * recent ones. Passes are idempotent, and a file read later goes at the next pass.
 */
const DAY = 86_400_000;
const HOUR = 3_600_000;
const NOW = new Date();
const RETENTION_DAYS = 30;
const cutoff = NOW.getTime() - RETENTION_DAYS * DAY;
let db: Db;
let dir: string;
let moto: MotoServer;
let deployment: { id: string; name: string };

beforeAll(async () => {
  ({ db } = await createTestDatabase());
  dir = await tempDir('pricesense-telemetry-cleanup-');
  moto = await startMoto();
  const s3 = createS3Client({ region: 'ap-southeast-1', endpoint: moto.endpoint, forcePathStyle: true, credentials: MOTO_CREDENTIALS });
  await s3.send(new CreateBucketCommand({ Bucket: 'telemetry-cleanup', CreateBucketConfiguration: { LocationConstraint: 'ap-southeast-1' } }));
  s3.destroy();
}, 120_000);
afterAll(async () => {
  await moto?.stop();
  await fs.rm(dir, { recursive: true, force: true });
});

const stores: [string, () => StoragePort][] = [
  ['a local folder', () => createLocalStorage(path.join(dir, 'storage'))],
  ['S3 (moto)', () => createS3Storage({ bucket: 'telemetry-cleanup', prefix: 'pricesense', region: 'ap-southeast-1', endpoint: moto.endpoint, forcePathStyle: true, credentials: MOTO_CREDENTIALS })],
];

describe.each(stores)('telemetry clean-up on %s', (_name, makeStorage) => {
  let storage: StoragePort;
  let ctx: Pick<ServiceContext, 'db' | 'adapters' | 'now'>;
  let n = 0;

  const file = (at: number) => telemetryKey(deployment.name, new Date(at), 'inst', 'boot', n++);
  const line = (requestId: string, at: number) => JSON.stringify({
    type: 'prediction', requestId, item: 0, at: new Date(at).toISOString(), modelVersionId: 'mv', keyId: 'k', label: 'MM', probabilities: { MM: 1 }, latencyMs: 1, features: {},
  });
  async function write(key: string, at: number) {
    await storage.put(key, `${line(`${key}-r`, at)}\n`);
    return key;
  }
  async function ingest(key: string) {
    const info = (await storage.stat(key))!;
    const report: IngestReport = { files: 0, records: 0, predictions: 0, feedback: 0, pendingFeedback: 0, badLines: 0, failedFiles: 0, skippedFiles: 0 };
    await ingestFile(ctx, deployment, { key, modifiedAt: info.modifiedAt }, report);
    expect(report.files).toBe(1);
  }
  const exists = async (keys: string[]) => Object.fromEntries(await Promise.all(keys.map(async (k) => [k, await storage.exists(k)])));
  const rows = async () => (await db.telemetryFile.findMany({ where: { deploymentId: deployment.id }, select: { key: true } })).map((r) => r.key).sort();

  beforeAll(async () => {
    await db.telemetryFile.deleteMany();
    await db.prediction.deleteMany();
    await db.deployment.deleteMany();
    deployment = await db.deployment.create({ data: { name: 'production' }, select: { id: true, name: true } });
    storage = makeStorage();
    ctx = { db, adapters: { storage }, now: () => NOW };
  });

  it('deletes ingested files past the window, keeps unread, rewritten, boundary and recent ones, and is idempotent', async () => {
    const old = cutoff - 10 * DAY;
    const ingestedOld = await write(file(old), old);
    const unread = await write(file(old + 1000), old + 1000);
    const rewritten = await write(file(old + 2000), old + 2000);
    // The last hour folder wholly before the cutoff, and the cutoff's own (which may still hold newer records).
    const lastHourBefore = await write(file(cutoff - HOUR), cutoff - HOUR);
    const cutoffHour = await write(file(cutoff), cutoff);
    const recent = await write(file(NOW.getTime() - HOUR), NOW.getTime() - HOUR);
    for (const key of [ingestedOld, rewritten, lastHourBefore, cutoffHour, recent]) await ingest(key);
    // Rewritten after it was read (an instance restarted under a fixed id overwrites its batches): its new content is unread.
    await db.telemetryFile.update({ where: { key: rewritten }, data: { ingestedAt: new Date(NOW.getTime() - 365 * DAY) } });
    // A row whose object is already gone (an earlier pass deleted it, then failed to drop the row).
    const orphan = file(old - DAY);
    await db.telemetryFile.create({ data: { key: orphan, deploymentId: deployment.id, records: 1, ingestedAt: new Date(old) } });

    const first = await applyRetention(ctx, { retentionDays: RETENTION_DAYS });
    expect(first).toMatchObject({ telemetryFiles: 2, telemetryRows: 3, telemetryKept: 2, telemetryFailed: 0 });
    expect(await exists([ingestedOld, unread, rewritten, lastHourBefore, cutoffHour, recent])).toEqual({
      [ingestedOld]: false, [unread]: true, [rewritten]: true, [lastHourBefore]: false, [cutoffHour]: true, [recent]: true,
    });
    expect(await rows()).toEqual([rewritten, cutoffHour, recent].sort());

    // Again: nothing more goes (the unread and rewritten files are reported again, never deleted).
    expect(await applyRetention(ctx, { retentionDays: RETENTION_DAYS })).toMatchObject({ telemetryFiles: 0, telemetryRows: 0, telemetryKept: 2 });
    expect(await exists([unread, rewritten])).toEqual({ [unread]: true, [rewritten]: true });

    // Read at last (by hand here: the catch-up looks no further back than the window), a file goes at the next pass.
    await ingest(unread);
    await ingest(rewritten);
    expect(await applyRetention(ctx, { retentionDays: RETENTION_DAYS })).toMatchObject({ telemetryFiles: 2, telemetryRows: 2, telemetryKept: 0 });
    expect(await exists([unread, rewritten])).toEqual({ [unread]: false, [rewritten]: false });
    expect(await rows()).toEqual([cutoffHour, recent].sort());
    expect(await storage.list('telemetry/')).toHaveLength(2);
  });
});
