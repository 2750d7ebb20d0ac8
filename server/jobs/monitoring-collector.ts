import 'server-only';
import { logger } from '@/server/logger';
import type { ServiceContext } from '@/server/services/context';
import { applyRetention } from '@/server/services/monitoring/apply-retention';
import { collectMonitoring } from '@/server/services/monitoring/collect-monitoring';
import { syncDriftRollups } from '@/server/services/monitoring/drift-rollups';
import type { IngestScope } from '@/server/services/monitoring/ingest-telemetry';

/**
 * The worker's monitoring loop (local mode): every 15 s, scrape the inference
 * instances and ingest their telemetry. A timer rather than a pg-boss schedule,
 * whose finest grain is a minute. A pass never overlaps the previous one, and a
 * failure is logged and retried at the next tick — never fatal to the worker.
 * Listing scope widens now and then (see ingest-telemetry.ts): today and
 * yesterday every 5 minutes, older days at start and hourly; retention hourly;
 * then the drift bins of each serving model's baseline (drift-rollups.ts).
 */
export const COLLECT_MS = 15_000;
const DAYS_EVERY_MS = 5 * 60_000;
const HOURLY_MS = 60 * 60_000;

export function startMonitoringCollector(ctx: Pick<ServiceContext, 'db' | 'adapters'>, options: { retentionDays: number; intervalMs?: number }): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  let lastDays = 0;
  let lastCatchUp = 0;
  let lastRetention = 0;
  const tick = () => {
    if (running) return;
    const now = Date.now();
    const scope: IngestScope = now - lastCatchUp >= HOURLY_MS ? 'catch-up' : now - lastDays >= DAYS_EVERY_MS ? 'days' : 'recent';
    running = (async () => {
      const started = performance.now();
      try {
        if (scope === 'catch-up') {
          // Today and yesterday first, then older days.
          await collectMonitoring(ctx, { scope: 'days', retentionDays: options.retentionDays });
          lastDays = now;
        }
        const result = await collectMonitoring(ctx, { scope, retentionDays: options.retentionDays });
        if (scope === 'days') lastDays = now;
        if (scope === 'catch-up') lastCatchUp = now;
        const { scrape, ingest } = result;
        if (ingest.files || scrape.failed.length || ingest.failedFiles) {
          logger.info({ scope, ms: Math.round(performance.now() - started), requests: scrape.requests, scrapeFailures: scrape.failed.length, files: ingest.files, predictions: ingest.predictions, feedback: ingest.feedback, badLines: ingest.badLines, failedFiles: ingest.failedFiles }, 'monitoring collected');
        }
        if (now - lastRetention >= HOURLY_MS) {
          lastRetention = now;
          const removed = await applyRetention(ctx, { retentionDays: options.retentionDays });
          if (Object.values(removed).some((n) => n > 0)) logger.info(removed, 'monitoring retention applied');
        }
        // Drift bins against each serving model's baseline: a few queries once done; after a deploy, up to 10 s of binning the history per tick.
        await syncDriftRollups(ctx, { retentionDays: options.retentionDays });
      } catch (error) {
        logger.warn({ scope, err: (error as Error).message }, 'monitoring collection failed; retrying at the next tick');
      }
    })().finally(() => {
      running = null;
    });
  };
  const timer = setInterval(tick, options.intervalMs ?? COLLECT_MS);
  timer.unref();
  const first = setTimeout(tick, 2000);
  first.unref();
  return {
    async stop() {
      clearInterval(timer);
      clearTimeout(first);
      await running;
    },
  };
}
