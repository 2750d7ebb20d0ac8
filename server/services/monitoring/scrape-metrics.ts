import 'server-only';
import { logger } from '@/server/logger';
import { nowOf, type DbTx, type ServiceContext } from '../context';
import { readInstances, type ServingInstance } from '../deployments/read-deployments';
import { LATENCY_BOUNDS_MS } from './latency-histogram';
import { parsePrometheusText } from './prometheus-text';
import { addToRollup, counterDeltas, emptyRollupDelta, extractCounters, hasTraffic, processStartOf, type RollupDelta, type ScrapeValues } from './scrape-deltas';

/**
 * Scrape every live inference instance's /metrics and add what happened since
 * the last scrape to the deployment's rollup of the current minute (local mode;
 * in AWS mode CloudWatch holds these). Counters are turned into deltas against
 * ScrapeState (scrape-deltas.ts), so any number of scrapes, restarts and
 * concurrent collectors never count a request twice.
 */
export const ROLLUP_SECONDS = 60;
const TIMEOUT_MS = 3000;

export type ScrapeOptions = { deployment?: string; timeoutMs?: number };
export type ScrapeReport = { deployments: number; instances: number; scraped: number; requests: number; failed: { deployment: string; instanceId: string; error: string }[] };

type Fetched = { instance: ServingInstance; values: ScrapeValues; fetchedAt: Date };

export async function scrapeMetrics(ctx: Pick<ServiceContext, 'db' | 'adapters' | 'now'>, options: ScrapeOptions = {}): Promise<ScrapeReport> {
  const deployments = await ctx.db.deployment.findMany({ where: options.deployment ? { name: options.deployment } : {}, select: { id: true, name: true, currentModelVersionId: true } });
  const report: ScrapeReport = { deployments: deployments.length, instances: 0, scraped: 0, requests: 0, failed: [] };
  for (const dep of deployments) {
    const live = oneInstancePerUrl((await readInstances(ctx, dep.name)).filter((i) => !i.stale));
    report.instances += live.length;
    const fetched = (await Promise.all(live.map(async (instance): Promise<Fetched | null> => {
      try {
        const fetchedAt = nowOf(ctx);
        const text = await fetchMetricsText(instance.url, options.timeoutMs ?? TIMEOUT_MS);
        const parsed = parsePrometheusText(text);
        if (parsed.badLines.length) logger.warn({ deployment: dep.name, instanceId: instance.instanceId, badLines: parsed.badLines.slice(0, 3), count: parsed.badLines.length }, 'skipped malformed /metrics lines');
        return { instance, values: { startedAt: instance.startedAt, processStart: processStartOf(parsed.samples), counters: extractCounters(parsed.samples) }, fetchedAt };
      } catch (error) {
        const message = (error as Error).message;
        report.failed.push({ deployment: dep.name, instanceId: instance.instanceId, error: message });
        logger.warn({ deployment: dep.name, instanceId: instance.instanceId, url: instance.url, err: message }, 'could not scrape an inference instance');
        return null;
      }
    }))).filter((f): f is Fetched => f !== null);
    if (!fetched.length) continue;
    report.scraped += fetched.length;
    report.requests += await recordScrapes(ctx, dep, fetched);
  }
  return report;
}

/**
 * A restarted service on the same address leaves its old status file live for a
 * while (until it goes stale): both would be scraped at one URL, counting the new
 * process twice. One process answers at a URL: the one that started last.
 */
export function oneInstancePerUrl(instances: ServingInstance[]): ServingInstance[] {
  const byUrl = new Map<string, ServingInstance>();
  for (const i of instances) {
    const seen = byUrl.get(i.url);
    if (!seen || i.startedAt > seen.startedAt) byUrl.set(i.url, i);
  }
  return [...byUrl.values()];
}

async function fetchMetricsText(url: string, timeoutMs: number): Promise<string> {
  const res = await fetch(`${url.replace(/\/$/, '')}/metrics`, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'text/plain' } });
  if (!res.ok) throw new Error(`GET /metrics answered HTTP ${res.status}`);
  return res.text();
}

/** Deltas and rollup in one transaction, serialised per deployment, so concurrent collectors cannot both count a delta. */
async function recordScrapes(ctx: Pick<ServiceContext, 'db' | 'now'>, dep: { id: string; name: string; currentModelVersionId: string | null }, fetched: Fetched[]): Promise<number> {
  return ctx.db.$transaction(async (tx) => {
    await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${`monitoring-scrape:${dep.id}`}))`;
    const states = await tx.scrapeState.findMany({ where: { deploymentId: dep.id }, select: { instanceId: true, values: true, scrapedAt: true } });
    const byId = new Map(states.map((s) => [s.instanceId, s]));
    const lastScrapeAt = states.length ? new Date(Math.max(...states.map((s) => s.scrapedAt.getTime()))) : null;
    const rollup = emptyRollupDelta();
    let modelVersionId: string | null = null;
    for (const f of fetched) {
      const id = f.instance.instanceId;
      const prev = byId.get(id);
      // Another collector stored a later scrape meanwhile: this older sample is already counted there.
      if (prev && prev.scrapedAt.getTime() >= f.fetchedAt.getTime()) continue;
      const { kind, delta } = counterDeltas(prev ? { values: prev.values as ScrapeValues, scrapedAt: prev.scrapedAt } : null, f.values, lastScrapeAt);
      if (kind === 'restarted') logger.info({ deployment: dep.name, instanceId: id }, 'inference instance restarted: counting its counters from zero');
      if (kind === 'baseline') logger.info({ deployment: dep.name, instanceId: id, startedAt: f.values.startedAt }, 'inference instance started before the last scrape: its first scrape is a baseline');
      addToRollup(rollup, delta);
      modelVersionId ??= f.instance.model?.versionId ?? null;
      const values = { ...f.values };
      await tx.scrapeState.upsert({
        where: { instanceId: id },
        create: { instanceId: id, deploymentId: dep.id, values, scrapedAt: f.fetchedAt },
        update: { deploymentId: dep.id, values, scrapedAt: f.fetchedAt },
      });
    }
    if (!hasTraffic(rollup)) return 0;
    const at = fetched[0]!.fetchedAt.getTime();
    await addRollup(tx, dep.id, modelVersionId ?? dep.currentModelVersionId, new Date(at - (at % (ROLLUP_SECONDS * 1000))), rollup);
    return rollup.requests;
  });
}

/** Adds a delta into a minute's row: counts and histogram buckets are summed, status and class maps merged key by key. */
export async function addRollup(tx: DbTx, deploymentId: string, modelVersionId: string | null, bucketStart: Date, d: RollupDelta): Promise<void> {
  await tx.$executeRaw`
    insert into "MetricRollup" ("deploymentId", "modelVersionId", "bucketStart", "bucketSeconds", requests, errors, "statusCounts", "latencyBucketsMs", "latencyCounts", "latencySumMs", "predictionsByClass")
    values (${deploymentId}, ${modelVersionId}, ${bucketStart.toISOString()}::timestamp(3), ${ROLLUP_SECONDS}, ${d.requests}, ${d.errors}, ${JSON.stringify(d.statusCounts)}::jsonb,
            ${LATENCY_BOUNDS_MS}::float8[], ${d.latencyCounts}::int[], ${d.latencySumMs}, ${JSON.stringify(d.predictionsByClass)}::jsonb)
    on conflict ("deploymentId", "bucketStart", "bucketSeconds") do update set
      requests = "MetricRollup".requests + excluded.requests,
      errors = "MetricRollup".errors + excluded.errors,
      "statusCounts" = (select coalesce(jsonb_object_agg(k, n), '{}'::jsonb) from (
        select k, sum(v::bigint) as n from (
          select key as k, value as v from jsonb_each_text("MetricRollup"."statusCounts")
          union all select key, value from jsonb_each_text(excluded."statusCounts")) s group by k) t),
      "latencyBucketsMs" = excluded."latencyBucketsMs",
      "latencyCounts" = (select array_agg(coalesce(a, 0) + coalesce(b, 0) order by i)
        from unnest("MetricRollup"."latencyCounts", excluded."latencyCounts") with ordinality as u(a, b, i)),
      "latencySumMs" = "MetricRollup"."latencySumMs" + excluded."latencySumMs",
      "predictionsByClass" = (select coalesce(jsonb_object_agg(k, n), '{}'::jsonb) from (
        select k, sum(v::bigint) as n from (
          select key as k, value as v from jsonb_each_text("MetricRollup"."predictionsByClass")
          union all select key, value from jsonb_each_text(excluded."predictionsByClass")) s group by k) t),
      "modelVersionId" = coalesce(excluded."modelVersionId", "MetricRollup"."modelVersionId")`;
}
