import { describe, expect, it } from 'vitest';
import {
  accuracyVerdict, glanceTiles, latencyVerdict, trafficSince, utcDayStart,
  type GlanceCost, type GlanceModel, type GlanceTraffic, type ProductionGlance,
} from './overview';

const MODEL: GlanceModel = { id: 'mv1', name: 'price-sensitivity', version: 3, algorithm: 'Logistic regression', offlineAccuracy: 0.838, since: '2026-11-26T08:00:00.000Z', servingError: null };
const TRAFFIC: GlanceTraffic = { requestsToday: 3000, errorsToday: 0, p95Ms: 8.375, liveAccuracy: 0.9576, labelled: 1320, emptyTraffic: null };
const COST: GlanceCost = { month: '2026-11', monthToDate: 145.27, forecast: 180.65, budget: 500, budgetState: 'under', source: 'cost_model', configuredSource: 'cost_model', sourceError: null, hasData: true };

function glance(over: Partial<ProductionGlance> = {}): ProductionGlance {
  return {
    deployment: 'production', at: '2026-11-26T18:04:00.000Z', dayStart: '2026-11-26T00:00:00.000Z',
    model: { ok: true, value: MODEL }, traffic: { ok: true, value: TRAFFIC }, cost: { ok: true, value: COST }, alerts: { ok: true, value: [] },
    ...over,
  };
}

describe('trafficSince and utcDayStart', () => {
  it('counts only the buckets from midnight UTC on', () => {
    const now = new Date('2026-11-26T00:07:30Z');
    expect(utcDayStart(now).toISOString()).toBe('2026-11-26T00:00:00.000Z');
    const series = [
      { t: '2026-11-25T23:55:00.000Z', requests: 100, errors: 5 },
      { t: '2026-11-26T00:00:00.000Z', requests: 7, errors: 1 },
      { t: '2026-11-26T00:05:00.000Z', requests: 3, errors: 0 },
    ];
    expect(trafficSince(series, utcDayStart(now))).toEqual({ requests: 10, errors: 1 });
    expect(trafficSince([], utcDayStart(now))).toEqual({ requests: 0, errors: 0 });
  });
});

describe('verdicts', () => {
  it('judges live accuracy against the alert floor, then against offline', () => {
    expect(accuracyVerdict(0.74, 0.84)).toEqual({ label: 'below 75%', tone: 'bad' });
    expect(accuracyVerdict(0.78, 0.84)).toEqual({ label: '−6.0 pts vs offline', tone: 'watch' });
    expect(accuracyVerdict(0.82, 0.84)).toEqual({ label: '−2.0 pts vs offline', tone: 'good' });
    expect(accuracyVerdict(0.9, 0.84)).toEqual({ label: '+6.0 pts vs offline', tone: 'good' });
    expect(accuracyVerdict(0.9, null)).toEqual({ label: 'above 75%', tone: 'good' });
  });

  it('judges p95 against the 200 ms objective, inclusive', () => {
    expect(latencyVerdict(200)).toEqual({ label: 'within 200 ms', tone: 'good' });
    expect(latencyVerdict(200.5)).toEqual({ label: 'over 200 ms', tone: 'bad' });
  });
});

describe('glanceTiles', () => {
  it('reads a healthy production in one line each', () => {
    const t = glanceTiles(glance({ alerts: { ok: true, value: [] } }));
    expect(t.model).toMatchObject({ value: 'price-sensitivity v3', badge: { tone: 'good' }, detail: 'Logistic regression · offline accuracy 83.8%', isEmpty: false });
    expect(t.accuracy).toMatchObject({ value: '95.8%', badge: { label: '+12.0 pts vs offline', tone: 'good' }, detail: '1,320 labelled · offline 83.8%' });
    expect(t.latency).toMatchObject({ value: '8.38 ms', badge: { label: 'within 200 ms', tone: 'good' }, detail: '95% of requests were faster' });
    expect(t.requests).toMatchObject({ value: '3,000', detail: 'since 00:00 UTC · no errors' });
    expect(t.requests.badge).toBeUndefined();
    expect(t.cost).toMatchObject({ value: '$145.27', badge: { label: 'within budget', tone: 'good' }, forecastLabel: 'forecast $181', budgetLabel: 'budget $500' });
    expect(t.cost.bar).toEqual({ spentPct: (145.27 / 500) * 100, forecastPct: (180.65 / 500) * 100, budgetPct: 100, scaleUsd: 500 });
    expect(t.alerts).toMatchObject({ value: '0', badge: { label: 'all clear' } });
  });

  it('flags errors over the error-rate alert threshold only', () => {
    expect(glanceTiles(glance({ traffic: { ok: true, value: { ...TRAFFIC, errorsToday: 3 } } })).requests).toMatchObject({ detail: 'since 00:00 UTC · 3 errors (0.10%)' });
    expect(glanceTiles(glance({ traffic: { ok: true, value: { ...TRAFFIC, errorsToday: 3 } } })).requests.badge).toBeUndefined();
    expect(glanceTiles(glance({ traffic: { ok: true, value: { ...TRAFFIC, errorsToday: 60 } } })).requests.badge).toEqual({ label: 'over 1% errors', tone: 'bad' });
  });

  it('explains a production with nothing deployed on every traffic tile', () => {
    const t = glanceTiles(glance({ model: { ok: true, value: null }, traffic: { ok: true, value: null } }));
    expect(t.model).toMatchObject({ value: 'None yet', isEmpty: true });
    expect(t.model.detail).toMatch(/No model serves production yet/);
    for (const tile of [t.accuracy, t.latency, t.requests]) expect(tile).toMatchObject({ value: '—', detail: 'Nothing is deployed to production yet.', isEmpty: true });
  });

  it('explains no traffic today and no feedback yet, with what to do', () => {
    const quiet = { ...TRAFFIC, requestsToday: 0, p95Ms: null, liveAccuracy: null, labelled: 0, emptyTraffic: 'No traffic to production in this range yet.' };
    const t = glanceTiles(glance({ traffic: { ok: true, value: quiet } }));
    expect(t.requests).toMatchObject({ value: '0', isEmpty: true, code: 'npm run -s mlops -- traffic --deployment production --rps 20 --duration 60' });
    expect(t.requests.detail).toBe('No requests since 00:00 UTC. To see some now, replay baskets:');
    expect(t.latency).toMatchObject({ value: '—', detail: 'No traffic to production in this range yet.', isEmpty: true });
    expect(t.accuracy).toMatchObject({ value: '—', isEmpty: true });
    expect(t.accuracy.detail).toBe('No live accuracy yet: callers send the true label of a prediction to /v1/feedback. Offline test accuracy: 83.8%.');
    // Traffic yesterday evening but none since midnight: said so.
    const yesterday = glanceTiles(glance({ traffic: { ok: true, value: { ...TRAFFIC, requestsToday: 0 } } }));
    expect(yesterday.requests.detail).toContain('There was traffic earlier in the last 24 h.');
  });

  it('marks live accuracy under the floor, and a refused artifact', () => {
    const t = glanceTiles(glance({ traffic: { ok: true, value: { ...TRAFFIC, liveAccuracy: 0.7 } }, model: { ok: true, value: { ...MODEL, servingError: 'sha256 mismatch' } } }));
    expect(t.accuracy.badge).toEqual({ label: 'below 75%', tone: 'bad' });
    expect(t.model).toMatchObject({ badge: { label: 'not loaded', tone: 'bad' } });
    expect(t.model.detail).toContain('sha256 mismatch');
  });

  it('turns a failing source into that tile’s explanation only', () => {
    const t = glanceTiles(glance({ cost: { ok: false, error: 'connection refused' }, traffic: { ok: false, error: 'timeout' } }));
    expect(t.cost).toMatchObject({ value: '—', detail: 'Costs could not be read: connection refused', bar: null, isEmpty: true, badge: { label: 'unavailable' } });
    expect(t.latency.detail).toBe('Latency could not be read: timeout');
    expect(t.model.isEmpty).toBe(false);
    expect(t.alerts.isEmpty).toBe(false);
  });

  it('says when Cost Explorer failed and the cost model stands in, and when nothing is recorded', () => {
    const fallback = glanceTiles(glance({ cost: { ok: true, value: { ...COST, configuredSource: 'cost_explorer', sourceError: 'AccessDenied: ce:GetCostAndUsage' } } })).cost;
    expect(fallback.detail).toBe("Spent since the 1st, estimated at AWS list prices. AWS Cost Explorer has no figures yet (AccessDenied: ce:GetCostAndUsage): this is the cost model's estimate.");
    const billFailed = glanceTiles(glance({ cost: { ok: true, value: { ...COST, source: 'cost_explorer', configuredSource: 'cost_explorer', sourceError: 'Throttled' } } })).cost;
    expect(billFailed.detail).toBe('Spent since the 1st, from AWS Cost Explorer. The last read of AWS Cost Explorer failed: Throttled.');
    const none = glanceTiles(glance({ cost: { ok: true, value: { ...COST, monthToDate: 0, forecast: 0, hasData: false } } })).cost;
    expect(none).toMatchObject({ value: '$0.00', bar: null, isEmpty: true });
    expect(none.detail).toBe('No costs recorded this month yet: the worker records them every 10 minutes. Monthly budget $500.');
  });

  it('shows an over-budget forecast beyond the budget marker', () => {
    const t = glanceTiles(glance({ cost: { ok: true, value: { ...COST, monthToDate: 400, forecast: 800, budgetState: 'over' } } })).cost;
    expect(t.badge).toEqual({ label: 'over budget', tone: 'bad' });
    expect(t.bar).toMatchObject({ spentPct: 50, forecastPct: 100, budgetPct: 62.5 });
  });

  it('counts open alerts and names the newest', () => {
    const alerts = [
      { id: 'a2', message: 'production: p95 latency is 313 ms', deployment: 'production', firedAt: '2026-11-26T18:00:00.000Z' },
      { id: 'a1', message: 'cost forecast 104% of budget', deployment: null, firedAt: '2026-11-26T09:00:00.000Z' },
    ];
    expect(glanceTiles(glance({ alerts: { ok: true, value: alerts } })).alerts).toMatchObject({ value: '2', badge: { label: 'firing', tone: 'bad' }, detail: 'Newest: production: p95 latency is 313 ms' });
    expect(glanceTiles(glance({ alerts: { ok: false, error: 'db down' } })).alerts.detail).toBe('Alerts could not be read: db down');
  });
});
