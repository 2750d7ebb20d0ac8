import { PSI_ACT } from './charts/drift';

/**
 * Alert rule kinds, their defaults and how their values read. Client-safe: the
 * server validates and evaluates with it, the Monitoring page formats with it.
 */
export const ALERT_KINDS = ['latency_p95', 'error_rate', 'live_accuracy', 'drift_psi', 'cost_forecast'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const COMPARATORS = ['>', '>=', '<', '<='] as const;
export type Comparator = (typeof COMPARATORS)[number];

export type AlertUnit = 'ms' | 'ratio' | 'psi' | 'budget_share';

type KindInfo = {
  label: string;
  unit: AlertUnit;
  /** deployment: one rule per deployment; global: one for the whole platform. */
  scope: 'deployment' | 'global';
  comparator: Comparator;
  threshold: number;
  windowMinutes: number;
  /** Valid thresholds (inclusive), in the unit's own terms (ratio 0–1, not percent). */
  min: number;
  max: number;
  /** Fewer observations than this in the window: no value (neither fires nor resolves). */
  minSample: number;
  /** What the value is, for the rules list. */
  describes: string;
};

export const ALERT_KIND_INFO: Record<AlertKind, KindInfo> = {
  latency_p95: {
    label: 'p95 latency', unit: 'ms', scope: 'deployment', comparator: '>', threshold: 200, windowMinutes: 15, min: 0.001, max: 600_000, minSample: 10,
    describes: '95th percentile of prediction-request latency',
  },
  error_rate: {
    label: 'Error rate', unit: 'ratio', scope: 'deployment', comparator: '>', threshold: 0.01, windowMinutes: 15, min: 0, max: 1, minSample: 10,
    describes: 'share of prediction requests answered with status 400 or more',
  },
  live_accuracy: {
    label: 'Live accuracy', unit: 'ratio', scope: 'deployment', comparator: '<', threshold: 0.75, windowMinutes: 1440, min: 0, max: 1, minSample: 30,
    describes: 'accuracy on predictions whose true label came back through /v1/feedback',
  },
  drift_psi: {
    label: 'Data drift', unit: 'psi', scope: 'deployment', comparator: '>=', threshold: PSI_ACT, windowMinutes: 60, min: 0, max: 100, minSample: 200,
    describes: 'largest feature PSI between training data and recent traffic',
  },
  cost_forecast: {
    label: 'Cost forecast', unit: 'budget_share', scope: 'global', comparator: '>', threshold: 1, windowMinutes: 60, min: 0.01, max: 100, minSample: 0,
    describes: "this month's cost forecast as a share of the monthly budget (the window does not apply)",
  },
};

export function isAlertKind(value: unknown): value is AlertKind {
  return typeof value === 'string' && (ALERT_KINDS as readonly string[]).includes(value);
}

export function compare(value: number, comparator: Comparator, threshold: number): boolean {
  switch (comparator) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
  }
}

/** A value in its unit: "212 ms", "1.5%", "PSI 0.31", "112% of budget". */
export function formatAlertValue(kind: AlertKind, value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  switch (ALERT_KIND_INFO[kind].unit) {
    case 'ms':
      return `${value >= 100 ? Math.round(value) : Number(value.toPrecision(3))} ms`;
    case 'ratio':
      return `${Number((value * 100).toPrecision(3))}%`;
    case 'psi':
      return `PSI ${value >= 1 ? value.toFixed(2) : value.toFixed(3)}`;
    case 'budget_share':
      return `${Math.round(value * 100)}% of budget`;
  }
}

/** "p95 latency > 200 ms over 15 min". */
export function describeCondition(kind: AlertKind, comparator: Comparator, threshold: number, windowMinutes: number): string {
  const info = ALERT_KIND_INFO[kind];
  const window = info.scope === 'global' ? 'this month' : `over ${formatWindow(windowMinutes)}`;
  return `${info.label} ${comparator} ${formatAlertValue(kind, threshold)} ${window}`;
}

export function formatWindow(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? '24 h' : `${minutes / 1440} days`;
  if (minutes % 60 === 0) return `${minutes / 60} h`;
  return `${minutes} min`;
}

/** How a threshold is typed in a form (percent for ratios) and back. */
export function thresholdToInput(kind: AlertKind, threshold: number): number {
  const unit = ALERT_KIND_INFO[kind].unit;
  return unit === 'ratio' || unit === 'budget_share' ? Number((threshold * 100).toPrecision(6)) : threshold;
}
export function thresholdFromInput(kind: AlertKind, typed: number): number {
  const unit = ALERT_KIND_INFO[kind].unit;
  return unit === 'ratio' || unit === 'budget_share' ? typed / 100 : typed;
}
export function inputUnit(kind: AlertKind): string {
  return { ms: 'ms', ratio: '%', psi: 'PSI', budget_share: '% of budget' }[ALERT_KIND_INFO[kind].unit];
}

/**
 * What a rule's webhook receives: POST, JSON, content-type application/json,
 * header x-pricesense-event = event. Sent when an alert fires and again when it
 * resolves; retried with backoff on network errors, timeouts, 408, 429 and 5xx.
 */
export type AlertWebhookPayload = {
  event: 'alert.firing' | 'alert.resolved';
  /** The AlertEvent id: the same for the firing and its resolution. */
  id: string;
  rule: { id: string; name: string; kind: AlertKind; deployment: string | null; comparator: Comparator; threshold: number; windowMinutes: number; unit: AlertUnit };
  /** The value that fired it (firing) or cleared it (resolved). */
  value: number;
  message: string;
  firedAt: string;
  resolvedAt: string | null;
  sentAt: string;
};

/** What the API and the Monitoring page show of a rule. */
export type AlertState = 'firing' | 'ok' | 'no-data' | 'disabled' | 'pending';

export type AlertRuleView = {
  id: string;
  name: string;
  kind: AlertKind;
  kindLabel: string;
  unit: AlertUnit;
  condition: string;
  deployment: string | null;
  comparator: Comparator;
  threshold: number;
  windowMinutes: number;
  isEnabled: boolean;
  webhookUrl: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  /** firing: an open event; ok: evaluated, condition clear; no-data: no value in the window; pending: not evaluated yet. */
  state: AlertState;
  value: number | null;
  note: string | null;
  evaluatedAt: string | null;
  openEvent: { id: string; firedAt: string; value: number | null; message: string } | null;
};

export type AlertEventView = {
  id: string;
  ruleId: string;
  ruleName: string;
  kind: AlertKind;
  deployment: string | null;
  state: 'firing' | 'resolved';
  value: number | null;
  message: string;
  firedAt: string;
  resolvedAt: string | null;
  notifiedAt: string | null;
  notifyError: string | null;
};

/** GET /api/v1/alerts. */
export type AlertsResponse = { rules: AlertRuleView[]; open: AlertEventView[]; history: AlertEventView[] };

/** What an on-demand evaluation did ("Evaluate now" on the Monitoring page, `mlops alerts evaluate`). */
export type AlertEvaluationSummary = { evaluated: number; fired: number; resolved: number; noData: number; failed: number; notifyFailed: number };

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "Evaluated 5 rules: 1 fired, none resolved; 2 without enough data." */
export function describeEvaluation(s: AlertEvaluationSummary): string {
  const changes = `${s.fired ? `${s.fired} fired` : 'none fired'}, ${s.resolved ? `${s.resolved} resolved` : 'none resolved'}`;
  const extra = [
    s.noData ? `${s.noData} without enough data` : '',
    s.failed ? `${plural(s.failed, 'rule')} could not be evaluated` : '',
    s.notifyFailed ? `${plural(s.notifyFailed, 'webhook')} failed` : '',
  ].filter(Boolean);
  return `Evaluated ${plural(s.evaluated, 'rule')}: ${changes}${extra.length ? `; ${extra.join(', ')}` : ''}.`;
}
