import 'server-only';
import type { Db } from '@/server/db/client';
import { logger } from '@/server/logger';
import type { Adapters, ServiceContext } from '@/server/services/context';
import { finishPendingRetrains, finishRetrainOfRun } from '@/server/services/retrain/finish-retrain';
import { RETRAIN_ACTOR, triggerPendingRetrains } from '@/server/services/retrain/trigger-retrain';

/**
 * The worker's side of "retrain when a new version arrives": after each run job,
 * register the retrain it belongs to; every minute, start retrains of versions
 * that became ready without one (CLI imports, a worker stopped in between) and
 * finish any whose run ended unnoticed. Failures are logged, never thrown: the
 * minute job tries again.
 */
export function retrainJobs(db: Db, adapters: Adapters) {
  const ctx: ServiceContext = { actor: RETRAIN_ACTOR, db, adapters };
  return {
    afterRun: (runId: string) =>
      finishRetrainOfRun(ctx, runId)
        .then((outcome) => outcome && logger.info({ runId, outcome }, 'retrain finished'))
        .catch((error: Error) => logger.error({ err: error.message, runId }, 'finishing a retrain failed')),
    everyMinute: async () => {
      try {
        const launched = await triggerPendingRetrains(ctx);
        const finished = await finishPendingRetrains(ctx);
        if (launched.length || finished.length) logger.info({ launched, finished }, 'retrains advanced');
      } catch (error) {
        logger.error({ err: (error as Error).message }, 'advancing retrains failed');
      }
    },
  };
}
