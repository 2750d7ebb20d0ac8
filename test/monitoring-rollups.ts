import type { Db } from '../server/db/client';

/**
 * The monitoring rollups as the database keeps them (triggers) against the same
 * numbers computed here, in TypeScript, from the raw rows: predictions per hour,
 * version and class; confusion counts per minute and hour of feedback; the traffic
 * rollup's hour rows as the sum of its minute rows. Each as sorted text lines with
 * zero counts left out, so `expect(actual).toEqual(expected)` shows any difference.
 */
type Lines = { predictions: string[]; confusion: string[]; trafficHours: string[] };

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const floorTo = (d: Date, step: number) => new Date(Math.floor(d.getTime() / step) * step).toISOString();

function add(map: Map<string, number[]>, key: string, values: number[]) {
  const sums = map.get(key) ?? map.set(key, values.map(() => 0)).get(key)!;
  values.forEach((v, i) => (sums[i]! += v));
}
const lines = (map: Map<string, number[]>) => [...map].filter(([, v]) => v.some((n) => n !== 0)).map(([k, v]) => `${k} ${v.join(' ')}`).sort();

/** A map of counts without zero entries, keys sorted. */
const counts = (entries: [string, number][]) => JSON.stringify(Object.fromEntries(entries.filter(([, n]) => n !== 0).sort(([a], [b]) => a.localeCompare(b))));
/** Histogram counts without trailing zero buckets. */
const histogram = (values: number[]) => {
  const out = [...values];
  while (out.length && out[out.length - 1] === 0) out.pop();
  return out.join(',');
};

export async function expectedRollups(db: Db): Promise<Lines> {
  const predictions = new Map<string, number[]>();
  const confusion = new Map<string, number[]>();
  for (const p of await db.prediction.findMany({ select: { deploymentId: true, modelVersionId: true, at: true, item: true, predictedLabel: true, trueLabel: true, feedbackAt: true } })) {
    add(predictions, `${p.deploymentId} ${floorTo(p.at, HOUR_MS)} ${p.modelVersionId ?? ''} ${p.predictedLabel}`, [1, p.item === 0 ? 1 : 0]);
    if (p.trueLabel !== null && p.feedbackAt) {
      for (const [seconds, step] of [[60, MINUTE_MS], [3600, HOUR_MS]] as const) add(confusion, `${p.deploymentId} ${seconds} ${floorTo(p.feedbackAt, step)} ${p.trueLabel} ${p.predictedLabel}`, [1]);
    }
  }
  const hours = new Map<string, { requests: number; errors: number; sum: number; latency: number[]; status: Map<string, number>; classes: Map<string, number> }>();
  for (const m of await db.metricRollup.findMany({ where: { bucketSeconds: 60 } })) {
    const key = `${m.deploymentId} ${floorTo(m.bucketStart, HOUR_MS)}`;
    const h = hours.get(key) ?? hours.set(key, { requests: 0, errors: 0, sum: 0, latency: [], status: new Map(), classes: new Map() }).get(key)!;
    h.requests += m.requests;
    h.errors += m.errors;
    h.sum += m.latencySumMs;
    m.latencyCounts.forEach((c, i) => (h.latency[i] = (h.latency[i] ?? 0) + c));
    for (const [k, n] of Object.entries(m.statusCounts as Record<string, number>)) h.status.set(k, (h.status.get(k) ?? 0) + n);
    for (const [k, n] of Object.entries(m.predictionsByClass as Record<string, number>)) h.classes.set(k, (h.classes.get(k) ?? 0) + n);
  }
  return {
    predictions: lines(predictions),
    confusion: lines(confusion),
    trafficHours: [...hours].map(([k, h]) => `${k} ${h.requests} ${h.errors} ${h.sum.toFixed(6)} [${histogram(h.latency)}] ${counts([...h.status])} ${counts([...h.classes])}`).sort(),
  };
}

export async function actualRollups(db: Db): Promise<Lines> {
  const predictions = new Map<string, number[]>();
  for (const r of await db.predictionRollup.findMany()) add(predictions, `${r.deploymentId} ${r.bucketStart.toISOString()} ${r.modelVersionId} ${r.predictedLabel}`, [r.predictions, r.requests]);
  const confusion = new Map<string, number[]>();
  for (const r of await db.confusionRollup.findMany()) add(confusion, `${r.deploymentId} ${r.bucketSeconds} ${r.bucketStart.toISOString()} ${r.trueLabel} ${r.predictedLabel}`, [r.n]);
  const hours = await db.metricRollup.findMany({ where: { bucketSeconds: 3600 } });
  return {
    predictions: lines(predictions),
    confusion: lines(confusion),
    trafficHours: hours
      .map((h) => `${h.deploymentId} ${h.bucketStart.toISOString()} ${h.requests} ${h.errors} ${h.latencySumMs.toFixed(6)} [${histogram(h.latencyCounts)}] ${counts(Object.entries(h.statusCounts as Record<string, number>))} ${counts(Object.entries(h.predictionsByClass as Record<string, number>))}`)
      .sort(),
  };
}
