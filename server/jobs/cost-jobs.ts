import 'server-only';
import type PgBoss from 'pg-boss';
import { logger } from '@/server/logger';
import type { ServiceContext } from '@/server/services/context';
import { recordRecentCosts } from '@/server/services/costs/record-daily-costs';
import { jobOptions, QUEUES } from './queues';

/**
 * Cost recording in the worker: yesterday's and today's costs every 10 minutes
 * (the schedule runs once across all workers), and once at start so a new
 * installation shows its first hours without waiting for the next tick.
 */
export async function startCostRecording(boss: PgBoss, ctx: ServiceContext): Promise<void> {
  await boss.schedule(QUEUES.recordCosts, '*/10 * * * *');
  await boss.work(QUEUES.recordCosts, { batchSize: 1 }, async () => {
    const result = await recordRecentCosts(ctx);
    if (result.bill?.status === 'failed') logger.warn({ days: result.days, error: result.bill.error }, 'cost source failed; the cost model was recorded');
    logger.info({ days: result.days, source: result.source, modelUsd: result.model.usd, bill: result.bill?.status ?? null }, 'costs recorded');
  });
  await boss.send(QUEUES.recordCosts, {}, { ...jobOptions(QUEUES.recordCosts), singletonKey: 'startup', singletonSeconds: 60 });
}
