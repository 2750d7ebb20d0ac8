import 'server-only';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { contentHashOf, inspectFile } from '@/server/datasets/pipeline/inspect-file';
import { AppError } from '@/server/errors';
import { assertCan, type ServiceContext } from '../context';
import { cancelImport } from './cancel-import';
import { completeUpload } from './complete-upload';
import { processDatasetVersion, type ProcessProgress } from './process-version';
import { getDatasetVersion } from './read-datasets';
import { receiveFile } from './receive-file';
import { datasetNameSchema } from './schemas';
import { startImport } from './start-import';

const TRANSACTION_FILE = /^transactions_.*\.csv(\.gz)?$/i;

/** Folders contribute their transactions_*.csv[.gz] files; files are taken as given. */
export async function resolveInputFiles(paths: string[]): Promise<{ name: string; path: string; bytes: number }[]> {
  const out: { name: string; path: string; bytes: number }[] = [];
  for (const p of paths) {
    const stat = await fs.stat(p).catch(() => null);
    if (!stat) throw new AppError('VALIDATION', `${p}: no such file or folder`);
    if (stat.isDirectory()) {
      const names = (await fs.readdir(p)).filter((n) => TRANSACTION_FILE.test(n)).sort();
      if (!names.length) throw new AppError('VALIDATION', `${p}: no transactions_*.csv or transactions_*.csv.gz files in this folder`);
      for (const name of names) out.push({ name, path: path.join(p, name), bytes: (await fs.stat(path.join(p, name))).size });
    } else {
      out.push({ name: path.basename(p), path: path.resolve(p), bytes: stat.size });
    }
  }
  return out;
}

/**
 * Import files from this machine (the CLI): identical content already imported is
 * recognised before anything is copied; otherwise the files are streamed into
 * storage and processed in this process, with progress.
 */
export async function importLocalFiles(
  ctx: ServiceContext,
  input: { dataset: string; description?: string; paths: string[]; onProgress?: ProcessProgress & ((stage: 'hashing' | 'uploading', fraction: number, detail?: string) => void); signal?: AbortSignal },
) {
  assertCan(ctx, 'datasets:write');
  const name = datasetNameSchema.safeParse(input.dataset);
  if (!name.success) throw new AppError('VALIDATION', `--name ${name.error.issues[0]?.message}`);
  const files = await resolveInputFiles(input.paths);
  const empty = files.find((f) => f.bytes === 0);
  if (empty) throw new AppError('VALIDATION', `${empty.name} is empty (0 bytes)`);

  // Hash first (a cheap streaming pass): re-importing the same content copies nothing.
  const hashes: string[] = [];
  for (const [i, file] of files.entries()) {
    input.onProgress?.('hashing', i / files.length, file.name);
    hashes.push((await inspectFile(file.path, file.name).catch(() => null))?.sha256 ?? `unreadable:${file.name}`);
  }
  const contentHash = contentHashOf(hashes);
  const dataset = await ctx.db.dataset.findUnique({ where: { name: name.data } });
  const existing = dataset ? await ctx.db.datasetVersion.findFirst({ where: { datasetId: dataset.id, contentHash, status: 'ready' }, select: { id: true } }) : null;
  if (existing) return { duplicate: true, version: await getDatasetVersion(ctx, existing.id) };

  const started = await startImport(ctx, { dataset: name.data, ...(input.description ? { description: input.description } : {}), files: files.map((f) => ({ name: f.name, bytes: f.bytes })) });
  const onAbort = () => void cancelImport(ctx, started.versionId, 'interrupted (Ctrl-C)').catch(() => undefined);
  input.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (const [i, file] of files.entries()) {
      input.onProgress?.('uploading', i / files.length, file.name);
      await receiveFile(ctx, started.versionId, file.name, createReadStream(file.path));
    }
    const completed = await completeUpload(ctx, started.versionId, { processing: 'inline' });
    if (completed.duplicateOf) return { duplicate: true, version: await getDatasetVersion(ctx, completed.duplicateOf.id) };
    const result = await processDatasetVersion(ctx, started.versionId, { onProgress: input.onProgress, signal: input.signal });
    const version = await getDatasetVersion(ctx, result.id);
    return { duplicate: version.id !== started.versionId, version };
  } catch (error) {
    if (!input.signal?.aborted) await cancelImport(ctx, started.versionId, `failed: ${(error as Error).message}`).catch(() => undefined);
    throw error;
  } finally {
    input.signal?.removeEventListener('abort', onAbort);
  }
}
