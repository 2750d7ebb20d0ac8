/**
 * Data preparation for the Monitoring page: the metrics API's sparse series made
 * into dense rows on one time axis (a minute without traffic is zero requests,
 * not a missing point), error rates by status code, the class mix, live accuracy,
 * version markers and the stat tiles' text. Pure, so the chart components only
 * render and this is unit-tested.
 */
import type { DeploymentMetrics } from '../monitoring';
import { LABEL_ORDER, labelColor } from './labels';

export type TimeDomain = [number, number];

export function metricsDomain(m: Pick<DeploymentMetrics, 'range'>): TimeDomain {
  return [Date.parse(m.range.from), Date.parse(m.range.to)];
}

/** Every bucket start of the range at its resolution, oldest first. */
export function bucketStarts(m: Pick<DeploymentMetrics, 'range'>): number[] {
  const step = m.range.resolution_seconds * 1000;
  const [from, to] = metricsDomain(m);
  const out: number[] = [];
  for (let t = Math.floor(from / step) * step; t < to; t += step) out.push(t);
  return out;
}

export type TrafficRow = { t: number; requests: number; rps: number; p50: number | null; p95: number | null; p99: number | null };

/** Requests per second and latency percentiles per bucket; latency is null where nothing was served. */
export function trafficRows(m: Pick<DeploymentMetrics, 'range' | 'series'>): TrafficRow[] {
  const byT = new Map(m.series.traffic.map((p) => [Date.parse(p.t), p]));
  return bucketStarts(m).map((t) => {
    const p = byT.get(t);
    if (!p || !p.requests) return { t, requests: 0, rps: 0, p50: null, p95: null, p99: null };
    return { t, requests: p.requests, rps: p.rps, p50: p.p50_ms, p95: p.p95_ms, p99: p.p99_ms };
  });
}

/**
 * A logarithmic latency axis from a power of ten below the fastest percentile to
 * one above the slowest or the objective: 1 ms and 200 ms both stay readable, and
 * the objective line is always in view.
 */
export function latencyAxis(rows: TrafficRow[], objectiveMs = P95_OBJECTIVE_MS): { domain: [number, number]; ticks: number[] } {
  const values = rows.flatMap((r) => [r.p50, r.p95, r.p99]).filter((v): v is number => v !== null && v > 0);
  const lo = values.length ? 10 ** Math.floor(Math.log10(Math.min(...values))) : 0.1;
  const hi = 10 ** Math.ceil(Math.log10(Math.max(objectiveMs, ...values) * 1.05));
  const ticks: number[] = [];
  for (let t = lo; t <= hi * 1.0001; t *= 10) ticks.push(Number(t.toPrecision(1)));
  return { domain: [ticks[0]!, ticks[ticks.length - 1]!], ticks };
}

/** Axis labels for latencies: "0.1 ms", "10 ms", "1 s". */
export function formatLatencyTick(ms: number): string {
  return ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`;
}

/**
 * Rows where a series has a value but neither neighbour does: a line draws
 * nothing there (one point is no segment), so the chart marks them with a dot.
 */
export function isolatedPoints(rows: ReadonlyArray<Record<string, number | null>>, key: string): Set<number> {
  const has = (i: number) => typeof rows[i]?.[key] === 'number';
  const out = new Set<number>();
  for (let i = 0; i < rows.length; i++) if (has(i) && !has(i - 1) && !has(i + 1)) out.add(i);
  return out;
}

export type StackedRows = { rows: Array<{ t: number } & Record<string, number | null>>; keys: string[] };

/** Numeric order for codes ("404" < "500") and classes ("4xx" < "5xx"), words ("other") last. */
const statusOrder = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/** Share of responses (%) per non-2xx status code (or class, from CloudWatch) and bucket; null where there were no requests. */
export function errorRateRows(m: Pick<DeploymentMetrics, 'range' | 'series'>): StackedRows {
  const codes = new Set<string>();
  for (const p of m.series.traffic) for (const [code, n] of Object.entries(p.by_status)) if (n > 0 && !/^[123]/.test(code)) codes.add(code);
  const keys = [...codes].sort(statusOrder);
  const byT = new Map(m.series.traffic.map((p) => [Date.parse(p.t), p]));
  const rows = bucketStarts(m).map((t) => {
    const p = byT.get(t);
    const row: { t: number } & Record<string, number | null> = { t };
    for (const code of keys) row[code] = p && p.requests ? ((p.by_status[code] ?? 0) / p.requests) * 100 : null;
    return row;
  });
  return { rows, keys };
}

/** Colour of a status code or class: server errors red, rate limiting and client errors as a class amber, other client errors in neutral tones. */
export function statusColor(code: string): string {
  if (code.startsWith('5')) return 'var(--color-danger)';
  if (code === '429' || code === '4xx') return 'var(--color-warning)';
  if (!/^\d/.test(code)) return 'var(--color-muted-foreground)';
  const others = ['#8b5cf6', '#0891b2', '#db2777', '#65a30d', 'var(--color-muted-foreground)'];
  return others[Math.abs(Number(code) || 0) % others.length]!;
}

/** Baskets predicted per class and bucket (known labels in their fixed order, then others); zero where none. */
export function classMixRows(m: Pick<DeploymentMetrics, 'range' | 'series'>): StackedRows {
  const seen = new Set<string>();
  for (const p of m.series.traffic) for (const [label, n] of Object.entries(p.by_class)) if (n > 0) seen.add(label);
  const known = (LABEL_ORDER as readonly string[]).filter((l) => seen.has(l));
  const keys = [...known, ...[...seen].filter((l) => !known.includes(l)).sort()];
  const byT = new Map(m.series.traffic.map((p) => [Date.parse(p.t), p]));
  const rows = bucketStarts(m).map((t) => {
    const p = byT.get(t);
    const row: { t: number } & Record<string, number | null> = { t };
    for (const label of keys) row[label] = p?.by_class[label] ?? 0;
    return row;
  });
  return { rows, keys };
}

export const classColor = labelColor;

export type AccuracyRow = { t: number; accuracy: number | null; macroF1: number | null; labelled: number };

/** Live accuracy and macro F1 (%) per bucket with the number of labelled predictions behind them. */
export function accuracyRows(m: Pick<DeploymentMetrics, 'range' | 'series'>): AccuracyRow[] {
  const byT = new Map(m.series.accuracy.map((p) => [Date.parse(p.t), p]));
  return bucketStarts(m).map((t) => {
    const p = byT.get(t);
    if (!p || !p.labelled) return { t, accuracy: null, macroF1: null, labelled: 0 };
    return { t, accuracy: pct(p.accuracy), macroF1: pct(p.macro_f1), labelled: p.labelled };
  });
}

/**
 * Y range (%) of the accuracy chart: up to 100, down to a round step below the
 * lowest value (or the offline reference), so a 97–99% model is not a flat line at the top.
 */
export function accuracyDomain(rows: AccuracyRow[], offlinePercent: number | null): [number, number] {
  const values = rows.flatMap((r) => [r.accuracy, r.macroF1]).filter((v): v is number => v !== null);
  if (offlinePercent !== null) values.push(offlinePercent);
  if (!values.length) return [0, 100];
  return [Math.max(0, Math.floor((Math.min(...values) - 2) / 5) * 5), 100];
}

const pct = (v: number | null) => (v === null ? null : Math.round(v * 10_000) / 100);

export type VersionMarkerLine = { x: number; label: string; action: string };

/**
 * A line per deploy or rollback in the range, labelled with the version it put in
 * place ("v3", "↩ v2" for a rollback). Two within the same bucket keep the later label
 * only, so labels never print over each other.
 */
export function versionMarkerLines(m: Pick<DeploymentMetrics, 'range' | 'markers'>): VersionMarkerLine[] {
  const [from, to] = metricsDomain(m);
  const step = m.range.resolution_seconds * 1000;
  const lines = m.markers
    .map((k) => ({ x: Date.parse(k.at), label: `${k.action === 'rollback' ? '↩ ' : ''}v${k.version}`, action: k.action }))
    .filter((k) => k.x >= from && k.x <= to)
    .sort((a, b) => a.x - b.x);
  return lines.map((line, i) => (lines[i + 1] && lines[i + 1]!.x - line.x < step ? { ...line, label: '' } : line));
}

export function formatMs(ms: number | null): string {
  if (ms === null) return '—';
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${Math.round(ms)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

export function formatPercent(share: number | null, digits = 1): string {
  return share === null ? '—' : `${(share * 100).toFixed(digits)}%`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** A requests/s axis tick: two significant digits below 10, so 0.025 / 0.05 / 0.075 stay apart (not "0.0" thrice). */
export function formatRateTick(rps: number): string {
  if (Number.isInteger(rps)) return String(rps);
  return rps >= 10 ? rps.toFixed(0) : String(Number(rps.toPrecision(2)));
}

export function formatRate(rps: number): string {
  if (rps === 0) return '0/s';
  // A quiet month is counted per hour or day, not shown as "0.0/min".
  if (rps * 3600 < 0.1) return `${(rps * 86_400).toFixed(1)}/day`;
  if (rps * 60 < 0.1) return `${(rps * 3600).toFixed(1)}/h`;
  if (rps < 0.1) return `${(rps * 60).toFixed(1)}/min`;
  return `${rps >= 10 ? rps.toFixed(0) : rps.toFixed(1)}/s`;
}

export type Tile = { value: string; hint: string; trend?: { direction: 'up' | 'down' | 'flat'; label: string; isPositive?: boolean } };

/** The four tiles: requests, error rate, p95 latency (against the 200 ms objective), live vs offline accuracy. */
export function statTiles(m: DeploymentMetrics): { requests: Tile; errorRate: Tile; p95: Tile; accuracy: Tile } {
  const offline = m.offline?.accuracy ?? null;
  let trend: Tile['trend'];
  if (m.live_accuracy !== null && offline !== null) {
    const delta = (m.live_accuracy - offline) * 100;
    const direction = Math.abs(delta) < 0.05 ? 'flat' : delta > 0 ? 'up' : 'down';
    trend = { direction, label: `${delta >= 0 ? '+' : '−'}${Math.abs(delta).toFixed(1)} pts vs offline ${formatPercent(offline)}`, isPositive: direction === 'flat' ? undefined : delta > 0 };
  }
  return {
    requests: { value: formatCount(m.requests), hint: `${formatRate(m.rps)} on average` },
    errorRate: { value: formatPercent(m.error_rate, 2), hint: m.requests ? `${formatCount(m.errors)} responses with status ≥ 400` : 'no requests' },
    p95: {
      value: formatMs(m.p95_ms),
      hint: m.p95_ms === null ? (m.empty.latency ? `not available from ${m.source.label}` : 'no requests') : `p50 ${formatMs(m.p50_ms)} · p99 ${formatMs(m.p99_ms)}`,
      ...(m.p95_ms !== null ? { trend: m.p95_ms <= P95_OBJECTIVE_MS ? { direction: 'flat' as const, label: `within ${P95_OBJECTIVE_MS} ms`, isPositive: true } : { direction: 'up' as const, label: `over ${P95_OBJECTIVE_MS} ms`, isPositive: false } } : {}),
    },
    accuracy: {
      value: formatPercent(m.live_accuracy),
      hint: m.labelled ? `${formatCount(m.labelled)} labelled predictions` : offline !== null ? `offline ${formatPercent(offline)}; no feedback yet` : 'no feedback yet',
      ...(trend ? { trend } : {}),
    },
  };
}

export type SourceText = { line: string; title: string; latency: string; errorsTitle: string; errors: string };

/** What the page says about where traffic numbers come from, and how latency and errors are made there. */
export function sourceText(m: Pick<DeploymentMetrics, 'source'>): SourceText {
  const line = `Source: ${m.source.label}`;
  const title = `Requests, errors, latency and classes: ${m.source.detail}. Live accuracy: feedback records in the control plane's database.`;
  if (m.source.kind === 'cloudwatch') {
    return {
      line, title,
      latency: `p50, p95 and p99 as CloudWatch computes them from the inference service's EMF latency histograms; dashed red: the ${P95_OBJECTIVE_MS} ms p95 objective.`,
      errorsTitle: 'Error rate by status class',
      errors: 'Share of responses with status 400 or more, stacked by class (CloudWatch keeps classes, not codes).',
    };
  }
  return {
    line, title,
    latency: `p50, p95 and p99 from the summed latency histograms; dashed red: the ${P95_OBJECTIVE_MS} ms p95 objective.`,
    errorsTitle: 'Error rate by status code',
    errors: 'Share of responses with status 400 or more, stacked by code.',
  };
}

/** The latency objective drawn on the latency chart and judged on the p95 tile. */
export const P95_OBJECTIVE_MS = 200;
