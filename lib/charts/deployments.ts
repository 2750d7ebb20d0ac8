/**
 * Data preparation for the Deployments page: which version served a deployment
 * when (a Gantt-like timeline), and the class probabilities of one prediction.
 * Pure, so the render-only chart components stay simple and this is unit-tested.
 */
import { LABEL_ORDER, labelColor } from './labels';
import { runColor } from './runs';

type When = Date | string | number;

export type ServingEventInput = {
  action: string;
  startedAt: When;
  endedAt: When | null;
  modelVersion: { id: string; version: number };
};

/** One uninterrupted window in which a version served (from a deploy or a rollback to it). */
export type ServingSegment = { start: number; end: number; open: boolean; action: string };

/**
 * One row per version. `s0`, `s1`… hold the [start, end] of each of its windows
 * (a version rolled back to serves twice): the chart draws each as a range bar.
 */
export type ServingRow = { versionId: string; label: string; color: string; segments: ServingSegment[]; servedMs: number; [series: `s${number}`]: [number, number] | undefined };

export type ServingTimeline = { rows: ServingRow[]; seriesKeys: string[]; domain: [number, number] };

const ms = (w: When) => (w instanceof Date ? w.getTime() : typeof w === 'number' ? w : Date.parse(w));

/** Shortest domain shown, so a deploy made a second ago still draws a visible bar. */
const MIN_SPAN_MS = 60_000;

/**
 * Rows in the order the versions first served (earliest on top, like a staircase);
 * an open window (the version serving now) runs to `now`.
 */
export function servingTimeline(events: ServingEventInput[], now: When): ServingTimeline {
  const nowMs = ms(now);
  const byVersion = new Map<string, { version: number; segments: ServingSegment[] }>();
  const sorted = [...events].filter((e) => Number.isFinite(ms(e.startedAt))).sort((a, b) => ms(a.startedAt) - ms(b.startedAt));
  for (const e of sorted) {
    const start = ms(e.startedAt);
    const end = e.endedAt === null ? nowMs : ms(e.endedAt);
    const entry = byVersion.get(e.modelVersion.id) ?? { version: e.modelVersion.version, segments: [] };
    entry.segments.push({ start, end: Math.max(start, Number.isFinite(end) ? end : nowMs), open: e.endedAt === null, action: e.action });
    byVersion.set(e.modelVersion.id, entry);
  }
  const rows = [...byVersion.entries()].map(([versionId, { version, segments }], i) => {
    const row: ServingRow = { versionId, label: `v${version}`, color: runColor(i), segments, servedMs: segments.reduce((s, g) => s + (g.end - g.start), 0) };
    segments.forEach((g, k) => {
      row[`s${k}`] = [g.start, g.end];
    });
    return row;
  });
  const series = Math.max(0, ...rows.map((r) => r.segments.length));
  const starts = rows.flatMap((r) => r.segments.map((g) => g.start));
  const ends = rows.flatMap((r) => r.segments.map((g) => g.end));
  let domain: [number, number] = starts.length ? [Math.min(...starts), Math.max(nowMs, ...ends)] : [nowMs - MIN_SPAN_MS, nowMs];
  if (domain[1] - domain[0] < MIN_SPAN_MS) domain = [domain[1] - MIN_SPAN_MS, domain[1]];
  return { rows, seriesKeys: Array.from({ length: series }, (_, k) => `s${k}`), domain };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TICK_STEPS = [10_000, 15_000, 30_000, MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY];

/**
 * Ticks on round times (whole seconds, minutes, hours, days in UTC), at most about
 * `max` of them (they must fit a phone-wide chart), so no two print the same label.
 */
export function timeTicks([from, to]: [number, number], max = 5): number[] {
  if (!(to > from)) return [from];
  const step = TICK_STEPS.find((s) => (to - from) / s <= max) ?? Math.ceil((to - from) / max / DAY) * DAY;
  const ticks: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) ticks.push(t);
  return ticks.length ? ticks : [from];
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A tick label as precise as the span needs, in UTC like every other date in the
 * app: "14:03:20" within a few minutes (a fresh deployment), "14:03" within a day
 * and a half, "11-26 14:03" within a week, else "11-26".
 */
export function formatTimeTick(value: number, spanMs: number): string {
  const d = new Date(value);
  const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  const md = `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  if (spanMs <= 5 * MINUTE) return `${hm}:${pad(d.getUTCSeconds())}`;
  if (spanMs <= 36 * HOUR) return hm;
  if (spanMs <= 7 * DAY) return `${md} ${hm}`;
  return md;
}

export type ProbabilityBar = { label: string; probability: number; color: string; isPredicted: boolean };

/**
 * Class probabilities of one prediction in the labels' fixed order (unknown
 * labels after them), the predicted one marked; missing or invalid values are 0.
 */
export function probabilityBars(probabilities: Record<string, unknown>, predicted: string | null): ProbabilityBar[] {
  const order = [...LABEL_ORDER.filter((l) => l in probabilities), ...Object.keys(probabilities).filter((l) => !(LABEL_ORDER as readonly string[]).includes(l)).sort()];
  return order.map((label) => {
    const p = probabilities[label];
    return { label, probability: typeof p === 'number' && Number.isFinite(p) ? Math.min(1, Math.max(0, p)) : 0, color: labelColor(label), isPredicted: label === predicted };
  });
}
