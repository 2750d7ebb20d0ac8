/**
 * Data preparation for the model registry pages: the gates summary of a version,
 * its life as one timeline (approval transitions and deployment windows merged),
 * and how its metrics compare with what serves. Pure and unit-tested.
 */

type When = Date | string;

export type GateLike = { gate: string; label: string; passed: boolean };

/** "5/5 gates" when all pass; otherwise which ones fail, by name. */
export function gateSummary(results: GateLike[] | null | undefined) {
  const list = results ?? [];
  const failed = list.filter((g) => !g.passed).map((g) => g.label);
  return { total: list.length, passed: list.length - failed.length, failed, allPassed: list.length > 0 && failed.length === 0 };
}

export type TransitionInput = { id: string; fromStatus: string | null; toStatus: string; actorLabel: string; comment: string | null; isOverride: boolean; at: When };
export type DeploymentEventInput = { id: string; action: string; actorLabel: string; comment: string | null; startedAt: When; endedAt: When | null; deployment: { name: string } };

export type TimelineKind = 'registered' | 'approved' | 'rejected' | 'deployed' | 'rolled-back' | 'replaced';
export type TimelineEntry = { key: string; at: string; kind: TimelineKind; title: string; actor: string | null; comment: string | null; isOverride: boolean };

const iso = (w: When) => (w instanceof Date ? w.toISOString() : new Date(w).toISOString());

/** Within one instant, the order things happen in (the demo set-up registers, approves and deploys in one go). */
const KIND_ORDER: Record<TimelineKind, number> = { registered: 0, approved: 1, rejected: 1, replaced: 2, deployed: 3, 'rolled-back': 3 };

/**
 * One version's history, oldest first: registered → approved/rejected → each time
 * it started serving a deployment (deployed, or rolled back to) and stopped.
 */
export function modelTimeline(transitions: TransitionInput[], events: DeploymentEventInput[]): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  for (const t of transitions) {
    const kind: TimelineKind = t.fromStatus === null ? 'registered' : t.toStatus === 'Approved' ? 'approved' : t.toStatus === 'Rejected' ? 'rejected' : 'registered';
    const title = kind === 'registered' ? 'Registered' : kind === 'approved' ? (t.isOverride ? 'Approved with a KPI gate override' : 'Approved') : 'Rejected';
    out.push({ key: `t-${t.id}`, at: iso(t.at), kind, title, actor: t.actorLabel, comment: t.comment, isOverride: t.isOverride });
  }
  for (const e of events) {
    const name = e.deployment.name;
    const rollback = e.action === 'rollback';
    out.push({ key: `d-${e.id}`, at: iso(e.startedAt), kind: rollback ? 'rolled-back' : 'deployed', title: rollback ? `${name} rolled back to this version` : `Deployed to ${name}`, actor: e.actorLabel, comment: e.comment, isOverride: false });
    if (e.endedAt) out.push({ key: `e-${e.id}`, at: iso(e.endedAt), kind: 'replaced', title: `Stopped serving ${name}`, actor: null, comment: null, isOverride: false });
  }
  return out.sort((a, b) => a.at.localeCompare(b.at) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
}

export const METRIC_LABELS: Record<string, string> = {
  accuracy: 'Accuracy',
  macro_f1: 'Macro F1',
  weighted_f1: 'Weighted F1',
  log_loss: 'Log loss',
  row_accuracy: 'Row accuracy',
};

/** Differences below what four decimals show are no difference. */
const SAME = 0.00005;

/** Whether a candidate's metric is better, worse or the same as the serving one's. */
export function deltaTone(delta: number | null, higherIsBetter: boolean): 'better' | 'worse' | 'same' | null {
  if (delta === null || !Number.isFinite(delta)) return null;
  if (Math.abs(delta) < SAME) return 'same';
  return (delta > 0) === higherIsBetter ? 'better' : 'worse';
}

/** "+0.0123" / "−0.0040" / "±0" (a real minus sign, so columns of numbers align). */
export function formatDelta(delta: number | null, digits = 4): string {
  if (delta === null || !Number.isFinite(delta)) return '—';
  if (Math.abs(delta) < SAME) return '±0';
  return `${delta > 0 ? '+' : '−'}${Math.abs(delta).toFixed(digits)}`;
}
