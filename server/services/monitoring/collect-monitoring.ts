import 'server-only';
import type { ServiceContext } from '../context';
import { ingestTelemetry, type IngestReport, type IngestScope } from './ingest-telemetry';
import { scrapeMetrics, type ScrapeReport } from './scrape-metrics';

/**
 * One collection pass (local mode): scrape the instances' counters into the
 * minute rollups, then ingest the telemetry files they wrote. Both are safe to
 * run concurrently with another pass (the worker's loop, a CLI call).
 */
export async function collectMonitoring(
  ctx: Pick<ServiceContext, 'db' | 'adapters' | 'now'>,
  options: { deployment?: string; scope?: IngestScope; retentionDays: number },
): Promise<{ scrape: ScrapeReport; ingest: IngestReport }> {
  const scrape = await scrapeMetrics(ctx, { deployment: options.deployment });
  const ingest = await ingestTelemetry(ctx, options);
  return { scrape, ingest };
}
