import { describe, expect, it } from 'vitest';
import { createMetrics } from '@/inference/src/metrics';
import { LATENCY_BOUNDS_MS } from './latency-histogram';
import { parsePrometheusText } from './prometheus-text';
import { addToRollup, counterDeltas, emptyRollupDelta, extractCounters, type ScrapeValues } from './scrape-deltas';

const STARTED = '2026-11-26T10:00:00.000Z';
const values = (counters: Record<string, number>, startedAt = STARTED, processStart: number | null = 1_795_000_000): ScrapeValues => ({ startedAt, processStart, counters });
const scraped = (counters: Record<string, number>, at = '2026-11-26T10:05:00Z', startedAt = STARTED) => ({ values: values(counters, startedAt), scrapedAt: new Date(at) });

describe('extractCounters', () => {
  it('keeps predict-route requests, latency buckets and predictions, with the same buckets as the rollups', async () => {
    const metrics = createMetrics();
    metrics.observeRequest('/v1/predict', 200, 0.003);
    metrics.observeRequest('/v1/predict', 200, 0.03);
    metrics.observeRequest('/healthz', 200, 0.0001);
    metrics.countPrediction('LA');
    metrics.countPrediction('LA');
    const counters = extractCounters(parsePrometheusText(await metrics.registry.metrics()).samples);
    expect(counters).toMatchObject({ 'req:200': 2, 'lat:0.005': 1, 'lat:0.05': 2, 'lat:+Inf': 2, 'pred:LA': 2 });
    expect(counters.lat_sum).toBeCloseTo(0.033);
    // The inference histogram's buckets are the rollups' buckets: nothing is re-binned.
    const le = Object.keys(counters).filter((k) => k.startsWith('lat:') && k !== 'lat:+Inf').map((k) => Number(k.slice(4)) * 1000);
    expect(le.sort((a, b) => a - b).map((v) => +v.toPrecision(6))).toEqual(LATENCY_BOUNDS_MS);
  });
});

describe('counterDeltas', () => {
  const lastScrape = new Date('2026-11-26T10:05:00Z');

  it('subtracts the previous scrape', () => {
    expect(counterDeltas(scraped({ 'req:200': 10, 'pred:MM': 4 }), values({ 'req:200': 15, 'req:500': 1, 'pred:MM': 4 }), lastScrape)).toEqual({ kind: 'continued', delta: { 'req:200': 5, 'req:500': 1 } });
  });

  it('counts from zero after a restart: a lower or vanished counter, another process, or a start after the last scrape', () => {
    expect(counterDeltas(scraped({ 'req:200': 10 }), values({ 'req:200': 3 }), lastScrape)).toEqual({ kind: 'restarted', delta: { 'req:200': 3 } });
    expect(counterDeltas(scraped({ 'req:200': 10, 'req:400': 2 }), values({ 'req:200': 12 }), lastScrape)).toEqual({ kind: 'restarted', delta: { 'req:200': 12 } });
    // A new process that already served more than the old one: its start time tells.
    expect(counterDeltas(scraped({ 'req:200': 10 }), values({ 'req:200': 30 }, STARTED, 1_795_000_900), lastScrape)).toEqual({ kind: 'restarted', delta: { 'req:200': 30 } });
    expect(counterDeltas(scraped({ 'req:200': 10 }), values({ 'req:200': 30 }, '2026-11-26T10:06:00.000Z'), lastScrape)).toEqual({ kind: 'restarted', delta: { 'req:200': 30 } });
  });

  it('does not count twice when the status file of a restarted instance is rewritten after a scrape already read the new process', () => {
    // Scrape at 10:05 read the new process (its counters went down) while the old status was still there…
    const first = counterDeltas(scraped({ 'req:200': 50 }, '2026-11-26T10:04:45Z'), values({ 'req:200': 3 }), lastScrape);
    expect(first).toEqual({ kind: 'restarted', delta: { 'req:200': 3 } });
    // …the next one sees the new status (started 10:04:58, before that scrape): a plain delta.
    expect(counterDeltas(scraped({ 'req:200': 3 }), values({ 'req:200': 8 }, '2026-11-26T10:04:58.000Z'), lastScrape)).toEqual({ kind: 'continued', delta: { 'req:200': 5 } });
  });

  it('counts a new instance from zero only if it started after the last scrape', () => {
    expect(counterDeltas(null, values({ 'req:200': 7 }, '2026-11-26T10:05:30.000Z'), lastScrape)).toEqual({ kind: 'new', delta: { 'req:200': 7 } });
    expect(counterDeltas(null, values({ 'req:200': 7 }, '2026-11-26T09:00:00.000Z'), lastScrape)).toEqual({ kind: 'baseline', delta: {} });
    expect(counterDeltas(null, values({ 'req:200': 7 }, '2026-11-26T09:00:00.000Z'), null)).toEqual({ kind: 'new', delta: { 'req:200': 7 } });
  });
});

describe('addToRollup', () => {
  it('sums requests, errors (status ≥ 400), statuses, classes and latency buckets', () => {
    const r = emptyRollupDelta();
    addToRollup(r, { 'req:200': 8, 'req:429': 1, 'req:500': 1, 'pred:LA': 3, 'pred:UM': 5, 'lat:0.001': 2, 'lat:0.002': 2, 'lat:0.005': 9, 'lat:+Inf': 10, lat_sum: 0.025 });
    addToRollup(r, { 'req:200': 2, 'lat:0.2': 2, 'lat:+Inf': 2 });
    expect(r).toMatchObject({ requests: 12, errors: 2, statusCounts: { 200: 10, 429: 1, 500: 1 }, predictionsByClass: { LA: 3, UM: 5 } });
    expect(r.latencySumMs).toBeCloseTo(25);
    const expected = new Array(LATENCY_BOUNDS_MS.length + 1).fill(0);
    expected[1] = 2; // ≤ 1 ms
    expected[3] = 7; // (2, 5] ms
    expected[8] = 2; // (100, 200] ms
    expected[12] = 1; // > 2 s
    expect(r.latencyCounts).toEqual(expected);
  });
});
