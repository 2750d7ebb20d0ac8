import 'server-only';
import type { ServiceContext } from '../context';
import { ingestTelemetry, type IngestReport, type IngestScope } from './ingest-telemetry';
import { scrapeMetrics, type ScrapeReport } from './scrape-metrics';

/**
 * One collection pass: scrape the instances' counters into the minute rollups,
 * then ingest the telemetry files they wrote. Both are safe to run concurrently
 * with another pass (the worker's loop, a CLI call). In AWS mode
 * (TELEMETRY_BACKEND=cloudwatch) the counters are CloudWatch's, read where they
 * are shown: scraping them too would keep a second, diverging copy, so only the
 * telemetry files (predictions and feedback, for live accuracy and drift) are ingested.
 */
export async function collectMonitoring(
  ctx: Pick<ServiceContext, 'db' | 'adapters' | 'now'>,
  options: { deployment?: string; scope?: IngestScope; retentionDays: number },
): Promise<{ scrape: ScrapeReport; ingest: IngestReport }> {
  const scrape = ctx.adapters.telemetry
    ? { deployments: 0, instances: 0, scraped: 0, requests: 0, failed: [] }
    : await scrapeMetrics(ctx, { deployment: options.deployment });
  const ingest = await ingestTelemetry(ctx, options);
  return { scrape, ingest };
}
