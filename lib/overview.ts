import { ALERT_KIND_INFO } from './alerts';
import { budgetBar, type BudgetBar } from './charts/costs';
import { formatCount, formatMs, formatPercent, P95_OBJECTIVE_MS } from './charts/monitoring';
import { formatUsd, SOURCE_LABELS, type BudgetState, type CostSourceName } from './costs';
import type { TrafficPoint } from './monitoring';

/**
 * "Production at a glance" on the overview: what the service gathers
 * (ProductionGlance) and the pure step that turns it into the six tiles' text and
 * tone (glanceTiles), so every empty state and verdict is unit-tested and the
 * page only renders. Client-safe.
 */

/** A part of the glance that was read, or why it could not be: one failing source never breaks the page. */
export type GlancePart<T> = { ok: true; value: T } | { ok: false; error: string };

export type GlanceModel = {
  id: string;
  name: string;
  version: number;
  /** Display name, e.g. "Logistic regression". */
  algorithm: string;
  /** Offline (test-set) accuracy from training. */
  offlineAccuracy: number | null;
  since: string | null;
  /** The inference service refused the current artifact (it keeps serving the previous one). */
  servingError: string | null;
};

export type GlanceTraffic = {
  requestsToday: number;
  errorsToday: number;
  /** Over the last 24 h, from the summed latency histograms. */
  p95Ms: number | null;
  /** Over the last 24 h, by when the feedback came (the live-accuracy alert's default window). */
  liveAccuracy: number | null;
  labelled: number;
  /** Why there is no traffic in the last 24 h (null when there is some). */
  emptyTraffic: string | null;
};

export type GlanceCost = {
  month: string;
  monthToDate: number;
  forecast: number;
  budget: number;
  budgetState: BudgetState;
  source: CostSourceName;
  configuredSource: CostSourceName;
  /** Cost Explorer's last error, when the bill is the configured source. */
  sourceError: string | null;
  hasData: boolean;
};

export type GlanceAlert = { id: string; message: string; deployment: string | null; firedAt: string };

export type ProductionGlance = {
  deployment: string;
  at: string;
  /** Start of "today" for the requests tile: 00:00 UTC, like the cost days. */
  dayStart: string;
  /** null: nothing is deployed there. */
  model: GlancePart<GlanceModel | null>;
  /** null: nothing is deployed, so there is nothing to measure. */
  traffic: GlancePart<GlanceTraffic | null>;
  cost: GlancePart<GlanceCost>;
  alerts: GlancePart<GlanceAlert[]>;
};

export const utcDayStart = (now: Date) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));

/** Requests and errors in the series' buckets that start at or after `since` (bucket starts align with midnight UTC). */
export function trafficSince(series: Pick<TrafficPoint, 't' | 'requests' | 'errors'>[], since: Date): { requests: number; errors: number } {
  const from = since.getTime();
  return series.reduce((sum, p) => (Date.parse(p.t) >= from ? { requests: sum.requests + p.requests, errors: sum.errors + p.errors } : sum), { requests: 0, errors: 0 });
}

export type Tone = 'good' | 'watch' | 'bad' | 'neutral';

export type GlanceTile = {
  /** The big figure; '—' when there is none. */
  value: string;
  /** The verdict beside it, coloured by tone. */
  badge?: { label: string; tone: Tone };
  /** One or two short lines of context, or the explanation of an empty tile. */
  detail: string;
  /** A command or path that fills an empty tile (shown as code). */
  code?: string;
  isEmpty: boolean;
};

export type CostTile = GlanceTile & { bar: BudgetBar | null; forecastLabel: string | null; budgetLabel: string };

/** Live accuracy this far below the offline test accuracy is worth a look even before the alert's floor. */
export const ACCURACY_WATCH_POINTS = 5;
/** The live-accuracy alert's default floor: below it the tile is red, as the alert would be. */
export const LIVE_ACCURACY_FLOOR = ALERT_KIND_INFO.live_accuracy.threshold;

export function accuracyVerdict(live: number, offline: number | null): { label: string; tone: Tone } {
  if (live < LIVE_ACCURACY_FLOOR) return { label: `below ${formatPercent(LIVE_ACCURACY_FLOOR, 0)}`, tone: 'bad' };
  if (offline === null) return { label: `above ${formatPercent(LIVE_ACCURACY_FLOOR, 0)}`, tone: 'good' };
  const points = (live - offline) * 100;
  const label = `${points >= 0 ? '+' : '−'}${Math.abs(points).toFixed(1)} pts vs offline`;
  return { label, tone: points <= -ACCURACY_WATCH_POINTS ? 'watch' : 'good' };
}

export function latencyVerdict(p95Ms: number): { label: string; tone: Tone } {
  return p95Ms <= P95_OBJECTIVE_MS ? { label: `within ${P95_OBJECTIVE_MS} ms`, tone: 'good' } : { label: `over ${P95_OBJECTIVE_MS} ms`, tone: 'bad' };
}

const BUDGET_VERDICT: Record<BudgetState, { label: string; tone: Tone }> = {
  under: { label: 'within budget', tone: 'good' },
  near: { label: 'close to budget', tone: 'watch' },
  over: { label: 'over budget', tone: 'bad' },
};

const unavailable = (what: string, error: string): GlanceTile => ({ value: '—', detail: `${what} could not be read: ${error}`, isEmpty: true, badge: { label: 'unavailable', tone: 'watch' } });
const NOTHING_DEPLOYED = (deployment: string): GlanceTile => ({ value: '—', detail: `Nothing is deployed to ${deployment} yet.`, isEmpty: true });

export function modelTile(g: ProductionGlance): GlanceTile {
  if (!g.model.ok) return unavailable('The deployment', g.model.error);
  const m = g.model.value;
  if (!m) return { value: 'None yet', detail: `No model serves ${g.deployment} yet: register a model, have it approved, then deploy it.`, isEmpty: true };
  const offline = m.offlineAccuracy === null ? 'no offline accuracy recorded' : `offline accuracy ${formatPercent(m.offlineAccuracy)}`;
  if (m.servingError) return { value: `${m.name} v${m.version}`, detail: `The inference service refused this version and keeps serving the previous one: ${m.servingError}`, badge: { label: 'not loaded', tone: 'bad' }, isEmpty: false };
  return { value: `${m.name} v${m.version}`, detail: `${m.algorithm} · ${offline}`, badge: { label: 'serving', tone: 'good' }, isEmpty: false };
}

export function accuracyTile(g: ProductionGlance): GlanceTile {
  if (!g.traffic.ok) return unavailable('Live accuracy', g.traffic.error);
  const t = g.traffic.value;
  if (!t) return NOTHING_DEPLOYED(g.deployment);
  const offline = g.model.ok ? (g.model.value?.offlineAccuracy ?? null) : null;
  if (t.liveAccuracy === null) {
    return {
      value: '—',
      detail: `No live accuracy yet: callers send the true label of a prediction to /v1/feedback.${offline !== null ? ` Offline test accuracy: ${formatPercent(offline)}.` : ''}`,
      code: 'POST /v1/feedback {"requestId":"…","label":"MM"}',
      isEmpty: true,
    };
  }
  const offlineText = offline !== null ? ` · offline ${formatPercent(offline)}` : '';
  return { value: formatPercent(t.liveAccuracy), badge: accuracyVerdict(t.liveAccuracy, offline), detail: `${formatCount(t.labelled)} labelled${offlineText}`, isEmpty: false };
}

export function latencyTile(g: ProductionGlance): GlanceTile {
  if (!g.traffic.ok) return unavailable('Latency', g.traffic.error);
  const t = g.traffic.value;
  if (!t) return NOTHING_DEPLOYED(g.deployment);
  if (t.p95Ms === null) return { value: '—', detail: t.emptyTraffic ?? 'No requests in the last 24 h.', isEmpty: true };
  return { value: formatMs(t.p95Ms), badge: latencyVerdict(t.p95Ms), detail: '95% of requests were faster', isEmpty: false };
}

export function requestsTile(g: ProductionGlance): GlanceTile {
  if (!g.traffic.ok) return unavailable('Traffic', g.traffic.error);
  const t = g.traffic.value;
  if (!t) return NOTHING_DEPLOYED(g.deployment);
  if (!t.requestsToday) {
    return {
      value: '0',
      detail: `No requests since 00:00 UTC.${t.emptyTraffic ? '' : ' There was traffic earlier in the last 24 h.'} To see some now, replay baskets:`,
      code: `npm run -s mlops -- traffic --deployment ${g.deployment} --rps 20 --duration 60`,
      isEmpty: true,
    };
  }
  const share = t.errorsToday / t.requestsToday;
  return {
    value: formatCount(t.requestsToday),
    detail: `since 00:00 UTC · ${t.errorsToday ? `${formatCount(t.errorsToday)} errors (${formatPercent(share, 2)})` : 'no errors'}`,
    // Flagged where the error-rate alert's default threshold would be (a stray 4xx is not news).
    ...(share > ALERT_KIND_INFO.error_rate.threshold ? { badge: { label: `over ${formatPercent(ALERT_KIND_INFO.error_rate.threshold, 0)} errors`, tone: 'bad' as const } } : {}),
    isEmpty: false,
  };
}

export function costTile(g: ProductionGlance): CostTile {
  if (!g.cost.ok) return { ...unavailable('Costs', g.cost.error), bar: null, forecastLabel: null, budgetLabel: '' };
  const c = g.cost.value;
  // AWS mode: say when the bill could not be read and the cost model stands in.
  const fallback = c.configuredSource !== c.source ? ` ${SOURCE_LABELS[c.configuredSource]} has no figures yet${c.sourceError ? ` (${c.sourceError})` : ''}: this is the cost model's estimate.` : c.sourceError ? ` The last read of ${SOURCE_LABELS[c.configuredSource]} failed: ${c.sourceError}.` : '';
  const budgetLabel = `budget ${formatUsd(c.budget, { whole: true })}`;
  if (!c.hasData) {
    return {
      value: formatUsd(0), detail: `No costs recorded this month yet: the worker records them every 10 minutes. Monthly ${budgetLabel}.${fallback}`,
      isEmpty: true, bar: null, forecastLabel: null, budgetLabel,
    };
  }
  return {
    value: formatUsd(c.monthToDate),
    badge: BUDGET_VERDICT[c.budgetState],
    detail: `Spent since the 1st, ${c.source === 'cost_model' ? 'estimated at AWS list prices' : `from ${SOURCE_LABELS[c.source]}`}.${fallback}`,
    isEmpty: false,
    bar: budgetBar(c.monthToDate, c.forecast, c.budget),
    forecastLabel: `forecast ${formatUsd(c.forecast, { whole: true })}`,
    budgetLabel,
  };
}

export function alertsTile(g: ProductionGlance): GlanceTile {
  if (!g.alerts.ok) return unavailable('Alerts', g.alerts.error);
  const open = g.alerts.value;
  if (!open.length) return { value: '0', badge: { label: 'all clear', tone: 'good' }, detail: 'No alert is firing.', isEmpty: false };
  const newest = open[0]!;
  return { value: formatCount(open.length), badge: { label: 'firing', tone: 'bad' }, detail: `Newest: ${newest.message}`, isEmpty: false };
}

export function glanceTiles(g: ProductionGlance) {
  return { model: modelTile(g), accuracy: accuracyTile(g), latency: latencyTile(g), requests: requestsTile(g), cost: costTile(g), alerts: alertsTile(g) };
}
