import 'server-only';
import { nowOf, type ServiceContext } from '../context';
import { deleteIngestedTelemetry } from './delete-telemetry-files';

/**
 * Keep MONITORING_RETENTION_DAYS (to the hour) of monitoring data: predictions, rollups,
 * feedback still waiting for its prediction, scraped instances' bookkeeping, and
 * the telemetry files in storage once ingested (delete-telemetry-files.ts, which
 * drops each file's TelemetryFile row with it). Predictions go in slices so a big
 * first clean-up never holds one long transaction over millions of rows.
 */
const SLICE = 50_000;
const MAX_SLICES = 40;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export type RetentionReport = {
  predictions: number; pendingFeedback: number; scrapeStates: number;
  /** Rollup rows: traffic (MetricRollup, minutes and hours), prediction counts, confusion counts, drift bins. */
  rollups: number; predictionRollups: number; confusionRollups: number; driftRollups: number;
  /** Telemetry objects deleted from storage, and their TelemetryFile rows. */
  telemetryFiles: number; telemetryRows: number;
  /** Telemetry objects past the window left in storage: never ingested (or rewritten since), or their delete failed. */
  telemetryKept: number; telemetryFailed: number;
};

export async function applyRetention(ctx: Pick<ServiceContext, 'db' | 'adapters' | 'now'>, options: { retentionDays: number }): Promise<RetentionReport> {
  // Whole hours: an hour's rollup rows go with all of its predictions, so what stays is still their exact sum.
  const cutoff = new Date(Math.floor((nowOf(ctx).getTime() - options.retentionDays * DAY_MS) / HOUR_MS) * HOUR_MS);
  const report: RetentionReport = {
    predictions: 0, pendingFeedback: 0, scrapeStates: 0, rollups: 0, predictionRollups: 0, confusionRollups: 0, driftRollups: 0,
    telemetryFiles: 0, telemetryRows: 0, telemetryKept: 0, telemetryFailed: 0,
  };
  // Set when a deployment may have older predictions left (the slice budget ran out): the next pass goes on.
  let predictionsLeft = false;
  for (const dep of await ctx.db.deployment.findMany({ select: { id: true } })) {
    // The (deploymentId, at) index finds the oldest rows of one deployment.
    let n = SLICE;
    for (let i = 0; i < MAX_SLICES && n === SLICE; i++) {
      n = await ctx.db.$executeRaw`
        delete from "Prediction" where ctid in (
          select ctid from "Prediction" where "deploymentId" = ${dep.id} and at < ${cutoff.toISOString()}::timestamp(3) limit ${SLICE})`;
      report.predictions += n;
    }
    if (n === SLICE) predictionsLeft = true;
  }
  const before = { bucketStart: { lt: cutoff } };
  report.rollups = (await ctx.db.metricRollup.deleteMany({ where: before })).count;
  // Deleting the predictions took their counts out of the prediction and confusion rollups (trigger): once all
  // of them are gone, these hours are zeros; drift bins of those hours counted only predictions now gone.
  if (!predictionsLeft) {
    report.predictionRollups = (await ctx.db.predictionRollup.deleteMany({ where: before })).count;
    report.confusionRollups = (await ctx.db.confusionRollup.deleteMany({ where: before })).count;
    report.driftRollups = (await ctx.db.driftRollup.deleteMany({ where: before })).count;
  }
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
