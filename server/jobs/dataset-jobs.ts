import 'server-only';
import type { Db } from '@/server/db/client';
import { logger } from '@/server/logger';
import type { Actor, Adapters, ServiceContext } from '@/server/services/context';
import { processDatasetVersion } from '@/server/services/datasets/process-version';
import { sweepStaleImports } from '@/server/services/datasets/sweep-stale-imports';
import { RETRAIN_ACTOR, triggerRetrain } from '@/server/services/retrain/trigger-retrain';

const WORKER_ACTOR: Actor = { kind: 'system', label: 'worker' };

/** The worker acts for whoever started the import, so the audit log names them. */
async function importerActor(db: Db, versionId: string): Promise<Actor> {
  const version = await db.datasetVersion.findUnique({ where: { id: versionId }, select: { importedBy: { select: { id: true, email: true, name: true, role: true } } } });
  const user = version?.importedBy;
  return user ? { kind: 'user', userId: user.id, email: user.email, name: user.name, role: user.role } : WORKER_ACTOR;
}

export async function runDatasetProcessJob(db: Db, adapters: Adapters, versionId: string) {
  const ctx: ServiceContext = { actor: await importerActor(db, versionId), db, adapters };
  const started = Date.now();
  const result = await processDatasetVersion(ctx, versionId);
  logger.info({ versionId, status: result?.status, seconds: Math.round((Date.now() - started) / 1000) }, 'dataset import processed');
  // A new version of a dataset that retrains on new data starts its retrain now (once per version, even if this job runs again).
  if (result?.status === 'ready') {
    const retrain = await triggerRetrain({ actor: RETRAIN_ACTOR, db, adapters }, result.id);
    if (retrain) logger.info({ versionId: result.id, ...retrain }, 'retrain triggered');
  }
}

export async function runImportSweep(db: Db, adapters: Adapters) {
  const swept = await sweepStaleImports({ actor: WORKER_ACTOR, db, adapters });
  if (swept) logger.warn({ swept }, 'marked interrupted imports as failed');
}
