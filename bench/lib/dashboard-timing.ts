import { register } from 'node:module';
import type { ServiceContext } from '../../server/services/context';
import { listAlertEvents, listAlertRules, listOpenAlerts } from '../../server/services/alerts/read-alerts';
import { getCostOverview } from '../../server/services/costs/get-cost-overview';
import { getDrift } from '../../server/services/monitoring/drift';
import { getDeploymentMetrics } from '../../server/services/monitoring/read-metrics';
import { getProductionGlance } from '../../server/services/overview/get-production-glance';

/**
 * The dashboard's reads, each as its route handler or page calls it, timed cold
 * (the first view of `reps` distinct windows, each ending 61 minutes before the
 * last, so they share no hour bucket) and warm (one window asked again `reps`
 * times). `target` marks the responses issue 7's 30-day target applies to.
 */
export type Stats = { p50: number; p95: number; max: number };
export type Timing = { endpoint: string; target: boolean; cold: Stats; warm: Stats; points: number };

type Endpoint = { name: string; target: boolean; call: (ctx: ServiceContext) => Promise<unknown>; points: (result: never) => number };

function endpoints(deployment: string): Endpoint[] {
  const metrics = (range: '1h' | '24h' | '7d' | '30d'): Endpoint => ({
    name: `metrics ${range} (tiles, series, live accuracy)`, target: range === '30d',
    call: (ctx) => getDeploymentMetrics(ctx, { deployment, range }),
    points: (m: Awaited<ReturnType<typeof getDeploymentMetrics>>) => m.series.traffic.length + m.series.accuracy.length,
  });
  const drift = (range: string, target: boolean): Endpoint => ({
    name: `drift ${range}`, target,
    call: (ctx) => getDrift(ctx, { deployment, range }),
    points: (d: Awaited<ReturnType<typeof getDrift>>) => d.features.reduce((s, f) => s + f.bins.length, 0) + (d.classDrift?.classes.length ?? 0),
  });
  return [
    metrics('30d'),
    drift('30d', true),
    {
      name: 'alerts (rules, open, history)', target: true,
      call: (ctx) => Promise.all([listAlertRules(ctx, { deployment }), listOpenAlerts(ctx, { deployment }), listAlertEvents(ctx, { deployment, limit: 50 })]),
      points: (r: unknown[][]) => r.reduce((s, x) => s + x.length, 0),
    },
    { name: 'costs overview (month)', target: true, call: (ctx) => getCostOverview(ctx), points: (c: Awaited<ReturnType<typeof getCostOverview>>) => c.daily.length },
    { name: 'overview glance (24h, month, alerts)', target: true, call: (ctx) => getProductionGlance(ctx), points: () => 4 },
    metrics('7d'),
    metrics('24h'),
    metrics('1h'),
    drift('24h', false),
  ];
}

const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
function stats(times: number[]): Stats {
  const s = [...times].sort((a, b) => a - b);
  return { p50: percentile(s, 0.5), p95: percentile(s, 0.95), max: s[s.length - 1]! };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const t = performance.now();
  const result = await fn();
  return { ms: performance.now() - t, result };
}

export async function runDashboardTimings(ctx: ServiceContext, o: { now: number; reps: number; deployment: string; log: (m: string) => void }): Promise<Timing[]> {
  const list = endpoints(o.deployment);
  const cold = new Map<string, number[]>(list.map((e) => [e.name, []]));
  const points = new Map<string, number>();
  for (let k = 1; k <= o.reps; k++) {
    const at = new Date(o.now - k * 61 * 60_000);
    for (const e of list) {
      const { ms, result } = await timed(() => e.call({ ...ctx, now: () => at }));
      cold.get(e.name)!.push(ms);
      points.set(e.name, e.points(result as never));
    }
    o.log(`cold: window ${k} of ${o.reps} (ending ${at.toISOString().slice(0, 16)})`);
  }
  const out: Timing[] = [];
  const at = new Date(o.now);
  for (const e of list) {
    const call = () => e.call({ ...ctx, now: () => at });
    await call();
    const warm: number[] = [];
    for (let r = 0; r < o.reps; r++) warm.push((await timed(call)).ms);
    out.push({ endpoint: e.name, target: e.target, cold: stats(cold.get(e.name)!), warm: stats(warm), points: points.get(e.name)! });
  }
  o.log('warm: done');
  return out;
}

/** Each dashboard route over HTTP with an API key (timed on its second request): status, time and bytes of the JSON the browser gets. */
export async function runHttpOnce(ctx: ServiceContext, o: { deployment: string; apiKey: string; log: (m: string) => void }): Promise<{ endpoint: string; ms: number; bytes: number; status: number }[] | string> {
  try {
    // The handlers authenticate the API key; the session lookup (next-auth) is stubbed, as the route tests mock it.
    register('./session-stub-hook.mjs', import.meta.url);
    (globalThis as { __pricesenseRuntime?: Promise<unknown> }).__pricesenseRuntime = Promise.resolve({ db: ctx.db, adapters: ctx.adapters, storage: ctx.adapters.storage });
    const { startRouteServer } = await import('../../test/route-server');
    const server = await startRouteServer();
    try {
      const q = `deployment=${encodeURIComponent(o.deployment)}`;
      const out = [];
      for (const p of [`/api/v1/metrics?${q}&range=30d`, `/api/v1/drift?${q}&range=30d`, `/api/v1/alerts?${q}`, '/api/v1/costs']) {
        const get = async () => {
          const res = await fetch(server.url + p, { headers: { authorization: `Bearer ${o.apiKey}` } });
          const body = await res.arrayBuffer();
          if (!res.ok) o.log(`GET ${p} → ${res.status}: ${Buffer.from(body).toString('utf8').slice(0, 300)}`);
          return { status: res.status, bytes: body.byteLength };
        };
        await get(); // the first request also loads the route's modules
        const { ms, result } = await timed(get);
        out.push({ endpoint: p, ms, ...result });
      }
      return out;
    } finally {
      await server.close();
    }
  } catch (error) {
    o.log(`HTTP round skipped: ${(error as Error).message}`);
    return `skipped (${(error as Error).message.split('\n')[0]})`;
  }
}
