import 'server-only';
import type { ServiceContext } from '../context';

/**
 * Confusion counts of predictions with feedback, per time bucket (when the feedback
 * came), from the (deploymentId, feedbackAt) index range. Over 30 days of ten
 * million predictions that is a scan of ~2 million rows (~3 s on two cores), too
 * slow for a page polled every 10 s: for hourly or coarser buckets, the buckets
 * before the last closed one are kept for five minutes per deployment and
 * resolution, and the last closed and the open bucket are read every time (feedback
 * reaches the database within about 20 s of its time, so older buckets are final).
 */
export type ConfusionRow = { t: number; truth: string; predicted: string; n: number };

const SETTLED_TTL_MS = 5 * 60_000;
const CACHE_FROM_SECONDS = 3600;
const cache = new Map<string, { at: number; from: number; until: number; rows: ConfusionRow[] }>();

async function query(ctx: Pick<ServiceContext, 'db'>, deploymentId: string, res: number, from: number, to: number): Promise<ConfusionRow[]> {
  if (!(to > from)) return [];
  const rows = await ctx.db.$queryRaw<{ b: bigint; truth: string; predicted: string; n: bigint }[]>`
    select floor(extract(epoch from "feedbackAt")::float8 / ${res})::bigint as b, "trueLabel" as truth, "predictedLabel" as predicted, count(*)::bigint as n
    from "Prediction"
    where "deploymentId" = ${deploymentId} and "feedbackAt" >= ${new Date(from).toISOString()}::timestamp(3) and "feedbackAt" < ${new Date(to).toISOString()}::timestamp(3) and "trueLabel" is not null
    group by 1, 2, 3`;
  return rows.map((r) => ({ t: Number(r.b) * res * 1000, truth: r.truth, predicted: r.predicted, n: Number(r.n) }));
}

/** [from, to) in ms; for cached resolutions `from` is taken back to its bucket start, so every bucket is whole. */
export async function readConfusion(ctx: Pick<ServiceContext, 'db'>, deploymentId: string, res: number, from: number, to: number, now: number): Promise<ConfusionRow[]> {
  if (res < CACHE_FROM_SECONDS) return query(ctx, deploymentId, res, from, to);
  const step = res * 1000;
  const start = Math.floor(from / step) * step;
  const fresh = Math.max(start, Math.floor(to / step) * step - step);
  const key = `${deploymentId}:${res}`;
  let settled = cache.get(key);
  if (!settled || now - settled.at > SETTLED_TTL_MS || settled.from > start || settled.until !== fresh) {
    settled = { at: now, from: start, until: fresh, rows: await query(ctx, deploymentId, res, start, fresh) };
    cache.set(key, settled);
  }
  return [...settled.rows.filter((r) => r.t >= start), ...(await query(ctx, deploymentId, res, fresh, to))];
}
