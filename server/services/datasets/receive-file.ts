import 'server-only';
import { PassThrough, Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Prisma } from '@/server/db/client';
import { AppError, notFound } from '@/server/errors';
import { actorUserId, assertCan, nowOf, type ServiceContext } from '../context';
import { storageKeys, type SourceFile } from './schemas';

const HEARTBEAT_EVERY_BYTES = 16 * 1024 * 1024;

/**
 * Stream one declared file of an open import into storage (never into memory),
 * hashing it on the way. An interrupted or oversized upload is refused with the
 * file's name and how far it got; nothing half-written is kept.
 */
export async function receiveFile(ctx: ServiceContext, versionId: string, fileName: string, body: Readable) {
  assertCan(ctx, 'datasets:write');
  const version = await ctx.db.datasetVersion.findUnique({ where: { id: versionId } });
  if (!version) throw notFound('Import');
  if (version.importedById && version.importedById !== actorUserId(ctx.actor) && ctx.actor.kind !== 'system') {
    throw new AppError('FORBIDDEN', 'Only the person who started this import can upload its files.');
  }
  if (version.status !== 'uploading') throw new AppError('CONFLICT', `This import is ${version.status}; it no longer accepts files.`);
  const declared = (version.sourceFiles as unknown as SourceFile[]).find((f) => f.name === fileName);
  if (!declared) throw new AppError('VALIDATION', `${fileName} is not one of the files declared for this import.`);

  let received = 0;
  let sinceBeat = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      received += chunk.length;
      sinceBeat += chunk.length;
      if (received > declared.bytes) return done(new Error(`more than the declared ${declared.bytes} bytes`));
      if (sinceBeat >= HEARTBEAT_EVERY_BYTES) {
        sinceBeat = 0;
        void ctx.db.datasetVersion.update({ where: { id: versionId }, data: { heartbeatAt: new Date() } }).catch(() => undefined);
      }
      done(null, chunk);
    },
  });
  // pipeline() owns the errors of every stage: a dropped client or an oversized body
  // fails the PassThrough that storage reads, and nothing is left unhandled.
  const metered = new PassThrough();
  const piping = pipeline(body, meter, metered).catch((error: Error) => metered.destroy(error));
  const key = storageKeys.raw(version.datasetId, versionId, fileName);
  let stored;
  try {
    stored = await ctx.adapters.storage.put(key, metered);
    await piping;
  } catch (error) {
    throw new AppError('VALIDATION', `Upload of ${fileName} was interrupted after ${received.toLocaleString('en-US')} of ${declared.bytes.toLocaleString('en-US')} bytes (${(error as Error).message}). Nothing of it was kept; upload it again.`);
  }
  if (stored.bytes !== declared.bytes) {
    await ctx.adapters.storage.delete(key);
    throw new AppError('VALIDATION', `Upload of ${fileName} ended after ${stored.bytes.toLocaleString('en-US')} of ${declared.bytes.toLocaleString('en-US')} bytes. Nothing of it was kept; upload it again.`);
  }
  // Row lock: several files of one import may finish at the same moment.
  await ctx.db.$transaction(async (tx) => {
    await tx.$queryRaw`select id from "DatasetVersion" where id = ${versionId} for update`;
    const current = await tx.datasetVersion.findUniqueOrThrow({ where: { id: versionId }, select: { sourceFiles: true } });
    const files = (current.sourceFiles as unknown as SourceFile[]).map((f) => (f.name === fileName ? { ...f, sha256: stored.sha256, bytes: stored.bytes } : f));
    await tx.datasetVersion.update({ where: { id: versionId }, data: { sourceFiles: files as unknown as Prisma.InputJsonValue, heartbeatAt: nowOf(ctx) } });
  });
  return { name: fileName, bytes: stored.bytes, sha256: stored.sha256 };
}

/** For callers holding a web stream (route handlers). */
export function fromWebStream(stream: ReadableStream<Uint8Array>): Readable {
  return Readable.fromWeb(stream as Parameters<typeof Readable.fromWeb>[0]);
}
