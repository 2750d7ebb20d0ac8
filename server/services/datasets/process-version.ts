import 'server-only';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { StoragePort } from '@/server/adapters/storage/port';
import { PipelineCancelled, runPipeline, type PipelineResult, type PipelineStage } from '@/server/datasets/pipeline/run-pipeline';
import { listFiles } from '@/server/datasets/pipeline/write-layers';
import type { Prisma } from '@/server/db/client';
import { AppError, notFound } from '@/server/errors';
import { logger } from '@/server/logger';
import { recordAudit } from '../audit/record-audit';
import { nowOf, type ServiceContext } from '../context';
import { deleteVersionFiles } from './cleanup';
import { storageKeys, type SourceFile } from './schemas';

export type ProcessProgress = (stage: PipelineStage | 'storing', fraction: number, detail?: string) => void;

const HEARTBEAT_MS = 5_000;
const PROGRESS_WRITE_MS = 500;

async function materialiseRaw(storage: StoragePort, datasetId: string, versionId: string, files: SourceFile[], workDir: string) {
  const out: { name: string; path: string }[] = [];
  for (const file of files) {
    const key = storageKeys.raw(datasetId, versionId, file.name);
    let local = storage.localPath(key);
    if (!local) {
      local = path.join(workDir, 'raw', file.name);
      await fs.mkdir(path.dirname(local), { recursive: true });
      await pipeline(await storage.getStream(key), createWriteStream(local));
    }
    out.push({ name: file.name, path: local });
  }
  return out;
}

function failureSummary(result: PipelineResult) {
  const failing = result.report.checks.filter((c) => c.severity === 'error' && !c.passed);
  return failing.map((c) => c.message).join(' ').slice(0, 2000);
}

async function storeCurated(ctx: ServiceContext, datasetId: string, versionId: string, result: PipelineResult, onProgress?: ProcessProgress) {
  const curatedRoot = path.dirname(result.layers!.basketsFile);
  const files = await listFiles(curatedRoot);
  let done = 0;
  for (const rel of files) {
    await ctx.adapters.storage.put(`${storageKeys.curated(datasetId, versionId)}${rel}`, createReadStream(path.join(curatedRoot, rel)));
    onProgress?.('storing', ++done / files.length, rel);
  }
  await ctx.adapters.storage.put(storageKeys.profile(datasetId, versionId), JSON.stringify(result.profile), { contentType: 'application/json' });
}

/**
 * Turn an uploaded import into a version: validate, write the curated layers to
 * storage, profile — or reject it with its quality report. Runs in the worker (web
 * uploads) or in the CLI process. Only the final transaction makes a version
 * visible; any failure before it leaves nothing behind but the attempt's record.
 */
export async function processDatasetVersion(ctx: ServiceContext, versionId: string, opts: { onProgress?: ProcessProgress; signal?: AbortSignal } = {}) {
  const version = await ctx.db.datasetVersion.findUnique({ where: { id: versionId }, include: { dataset: true } });
  if (!version) throw notFound('Import');
  if (version.status === 'ready' || version.status === 'cancelled' || version.status === 'rejected') return version;
  if (version.status !== 'importing') throw new AppError('CONFLICT', `Import ${versionId} is ${version.status}, not ready to process.`);
  const { datasetId } = version;
  const workDir = path.join(ctx.adapters.workDir ?? os.tmpdir(), 'imports', versionId);
  await fs.rm(workDir, { recursive: true, force: true });
  await fs.mkdir(workDir, { recursive: true });

  const abort = new AbortController();
  opts.signal?.addEventListener('abort', () => abort.abort());
  let lastWrite = 0;
  let lastStage = '';
  const report = (stage: string, fraction: number, detail?: string) => {
    opts.onProgress?.(stage as PipelineStage, fraction, detail);
    const now = Date.now();
    if (stage === lastStage && now - lastWrite < PROGRESS_WRITE_MS) return;
    lastStage = stage;
    lastWrite = now;
    void ctx.db.datasetVersion.update({ where: { id: versionId }, data: { stage: detail ? `${stage}: ${detail}` : stage, progress: fraction, heartbeatAt: new Date() } }).catch(() => undefined);
  };
  // Heartbeat, and notice a cancel requested from elsewhere (web UI, another CLI).
  const beat = setInterval(() => {
    void ctx.db.datasetVersion
      .update({ where: { id: versionId }, data: { heartbeatAt: new Date() }, select: { status: true } })
      .then((v) => v.status === 'cancelled' && abort.abort())
      .catch(() => undefined);
  }, HEARTBEAT_MS);

  try {
    const files = await materialiseRaw(ctx.adapters.storage, datasetId, versionId, version.sourceFiles as unknown as SourceFile[], workDir);
    const result = await runPipeline({ files, workDir, signal: abort.signal, onProgress: (stage, fraction, detail) => report(stage, fraction, detail) });
    if (abort.signal.aborted) throw new PipelineCancelled();
    if (result.report.status === 'failed') return await markRejected(ctx, version.dataset.name, versionId, datasetId, result);
    report('storing', 0);
    await storeCurated(ctx, datasetId, versionId, result, (_s, f, d) => report('storing', f, d));
    if (abort.signal.aborted) throw new PipelineCancelled();
    return await markReady(ctx, version.dataset.name, versionId, datasetId, result);
  } catch (error) {
    await deleteVersionFiles(ctx.adapters.storage, datasetId, versionId);
    if (error instanceof PipelineCancelled) {
      return ctx.db.datasetVersion.update({ where: { id: versionId }, data: { status: 'cancelled', stage: 'cancelled', completedAt: nowOf(ctx) } });
    }
    logger.error({ err: error, versionId }, 'dataset import failed');
    const message = `Import failed: ${(error as Error).message}`.slice(0, 2000);
    return ctx.db.$transaction(async (tx) => {
      const failed = await tx.datasetVersion.update({ where: { id: versionId }, data: { status: 'failed', stage: 'failed', errorMessage: message, completedAt: nowOf(ctx) } });
      await recordAudit(tx, ctx, { action: 'dataset.import_failed', entityType: 'dataset_version', entityId: versionId, summary: `Import into ${version.dataset.name} failed: ${message.slice(0, 200)}` });
      return failed;
    });
  } finally {
    clearInterval(beat);
    await fs.rm(workDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

function sourceFilesOf(result: PipelineResult): SourceFile[] {
  return result.files.map((f) => ({ name: f.name, bytes: f.bytes, sha256: f.sha256, rows: f.rows }));
}

async function markRejected(ctx: ServiceContext, datasetName: string, versionId: string, datasetId: string, result: PipelineResult) {
  await deleteVersionFiles(ctx.adapters.storage, datasetId, versionId);
  return ctx.db.$transaction(async (tx) => {
    const rejected = await tx.datasetVersion.update({
      where: { id: versionId },
      data: {
        status: 'rejected', stage: 'rejected', progress: 1, completedAt: nowOf(ctx), errorMessage: failureSummary(result),
        qualityReport: result.report as unknown as Prisma.InputJsonValue,
        qualityStatus: result.report.status,
        ...(result.files.length ? { sourceFiles: sourceFilesOf(result) as unknown as Prisma.InputJsonValue } : {}),
      },
    });
    await recordAudit(tx, ctx, { action: 'dataset.import_rejected', entityType: 'dataset_version', entityId: versionId, summary: `Import into ${datasetName} was rejected by validation` });
    return rejected;
  });
}

async function markReady(ctx: ServiceContext, datasetName: string, versionId: string, datasetId: string, result: PipelineResult) {
  const counts = result.profile!.counts;
  const outcome = await ctx.db.$transaction(async (tx) => {
    // Serialise version numbering (and the duplicate check) per dataset.
    await tx.$queryRaw`select id from "Dataset" where id = ${datasetId} for update`;
    const twin = await tx.datasetVersion.findFirst({ where: { datasetId, contentHash: result.contentHash, status: 'ready' } });
    if (twin) {
      await tx.datasetVersion.update({ where: { id: versionId }, data: { status: 'cancelled', stage: 'duplicate', errorMessage: `Same content as version ${twin.version}`, completedAt: nowOf(ctx) } });
      return { duplicate: true as const, version: twin };
    }
    const last = await tx.datasetVersion.aggregate({ where: { datasetId }, _max: { version: true } });
    const number = (last._max.version ?? 0) + 1;
    const ready = await tx.datasetVersion.update({
      where: { id: versionId },
      data: {
        status: 'ready', stage: 'ready', progress: 1, version: number, completedAt: nowOf(ctx), errorMessage: null,
        storagePrefix: storageKeys.version(datasetId, versionId),
        sourceFiles: sourceFilesOf(result) as unknown as Prisma.InputJsonValue,
        qualityReport: result.report as unknown as Prisma.InputJsonValue,
        qualityStatus: result.report.status,
        profile: result.profile as unknown as Prisma.InputJsonValue,
        rowCount: BigInt(counts.rows), basketCount: counts.baskets, customerCount: counts.customers, productCount: counts.products,
        minWeek: counts.firstWeek, maxWeek: counts.lastWeek,
      },
    });
    await tx.dataset.update({ where: { id: datasetId }, data: { updatedAt: nowOf(ctx) } });
    await recordAudit(tx, ctx, {
      action: 'dataset.version_ready', entityType: 'dataset_version', entityId: versionId,
      summary: `${datasetName} v${number}: ${counts.rows.toLocaleString('en-US')} rows, ${counts.baskets.toLocaleString('en-US')} baskets (${result.report.status})`,
      after: { version: number, contentHash: result.contentHash, rows: counts.rows, quality: result.report.status },
    });
    return { duplicate: false as const, version: ready };
  });
  if (outcome.duplicate) await deleteVersionFiles(ctx.adapters.storage, datasetId, versionId);
  return outcome.version;
}
