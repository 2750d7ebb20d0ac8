import 'server-only';
import { nowOf, type ServiceContext } from '../context';
import { deleteIngestedTelemetry } from './delete-telemetry-files';

/**
 * Keep MONITORING_RETENTION_DAYS of monitoring data: predictions, rollups,
 * feedback still waiting for its prediction, scraped instances' bookkeeping, and
 * the telemetry files in storage once ingested (delete-telemetry-files.ts, which
 * drops each file's TelemetryFile row with it). Predictions go in slices so a big
 * first clean-up never holds one long transaction over millions of rows.
 */
const SLICE = 50_000;
const MAX_SLICES = 40;
const DAY_MS = 86_400_000;

export type RetentionReport = {
  predictions: number; rollups: number; pendingFeedback: number; scrapeStates: number;
  /** Telemetry objects deleted from storage, and their TelemetryFile rows. */
  telemetryFiles: number; telemetryRows: number;
  /** Telemetry objects past the window left in storage: never ingested (or rewritten since), or their delete failed. */
  telemetryKept: number; telemetryFailed: number;
};

export async function applyRetention(ctx: Pick<ServiceContext, 'db' | 'adapters' | 'now'>, options: { retentionDays: number }): Promise<RetentionReport> {
  const cutoff = new Date(nowOf(ctx).getTime() - options.retentionDays * DAY_MS);
  const report: RetentionReport = { predictions: 0, rollups: 0, pendingFeedback: 0, scrapeStates: 0, telemetryFiles: 0, telemetryRows: 0, telemetryKept: 0, telemetryFailed: 0 };
  for (const dep of await ctx.db.deployment.findMany({ select: { id: true } })) {
    // The (deploymentId, at) index finds the oldest rows of one deployment.
    for (let i = 0; i < MAX_SLICES; i++) {
      const n = await ctx.db.$executeRaw`
        delete from "Prediction" where ctid in (
          select ctid from "Prediction" where "deploymentId" = ${dep.id} and at < ${cutoff.toISOString()}::timestamp(3) limit ${SLICE})`;
      report.predictions += n;
      if (n < SLICE) break;
    }
  }
  report.rollups = (await ctx.db.metricRollup.deleteMany({ where: { bucketStart: { lt: cutoff } } })).count;
  report.pendingFeedback = (await ctx.db.pendingFeedback.deleteMany({ where: { at: { lt: cutoff } } })).count;
  for (const dep of await ctx.db.deployment.findMany({ select: { id: true, name: true } })) {
    const files = await deleteIngestedTelemetry(ctx, dep, cutoff);
    report.telemetryFiles += files.deleted;
    report.telemetryRows += files.rows;
    report.telemetryKept += files.keptNotIngested;
    report.telemetryFailed += files.failed;
  }
  report.scrapeStates = (await ctx.db.scrapeState.deleteMany({ where: { scrapedAt: { lt: cutoff } } })).count;
  return report;
}
