import 'server-only';
import { ALERT_KIND_INFO, compare, describeCondition, formatAlertValue, type AlertKind, type AlertWebhookPayload, type Comparator } from '@/lib/alerts';
import { ALARM_KINDS, type AlarmRule } from '@/server/adapters/telemetry/port';
import type { Prisma } from '@/server/db/client';
import { logger } from '@/server/logger';
import { nowOf, type ServiceContext } from '../context';
import { ensureDriftBaseline } from '../monitoring/drift';
import { ensureDefaultRules } from './default-rules';
import { DEFAULT_WEBHOOK_OPTIONS, sendWebhook, type WebhookOptions } from './notify-webhook';
import { EVALUATION_SETTING, type EvaluationSnapshot, type RuleEvaluation } from './read-alerts';
import { ruleValue, valueSources, type ValueSources } from './rule-values';

/**
 * The worker's minute job. Every enabled rule gets its current value, then a
 * small state machine per rule:
 *   value holds the condition, no open alert → a firing AlertEvent, webhook "alert.firing";
 *   value holds it, alert open              → nothing (no duplicate firings);
 *   value clear, alert open                 → resolved (resolvedAt), webhook "alert.resolved";
 *   no value (too little traffic)           → nothing: neither fires nor resolves.
 * Transitions commit under a row lock on the rule before any webhook is called, so
 * overlapping evaluations cannot fire twice; webhooks run afterwards, in parallel,
 * and their outcome (notifiedAt or notifyError, of the latest notification) is
 * written to the event. A failing rule or webhook is logged and never stops the rest.
 */
export type EvaluateOptions = { webhook?: WebhookOptions; sources?: ValueSources };

export type EvaluationResult = {
  evaluated: number;
  fired: string[];
  resolved: string[];
  noData: number;
  failed: { ruleId: string; error: string }[];
  notified: number;
  notifyFailed: number;
  baselines: { computed: number; failed: number };
  alarms: { put: number; deleted: number; error: string | null } | null;
};

type Transition = { type: 'firing' | 'resolved'; eventId: string; value: number; message: string; firedAt: Date; resolvedAt: Date | null; webhookUrl: string | null; rule: AlertWebhookPayload['rule'] };

export async function evaluateAlerts(ctx: ServiceContext, opts: EvaluateOptions = {}): Promise<EvaluationResult> {
  await ensureDefaultRules(ctx.db);
  const baselines = await prepareDriftBaselines(ctx);
  const rules = await ctx.db.alertRule.findMany({
    where: { isEnabled: true },
    orderBy: { createdAt: 'asc' },
    select: { id: true, name: true, kind: true, comparator: true, threshold: true, windowMinutes: true, webhookUrl: true, deployment: { select: { id: true, name: true, currentModelVersionId: true } } },
  });
  const sources = opts.sources ?? valueSources(ctx);
  const result: EvaluationResult = { evaluated: 0, fired: [], resolved: [], noData: 0, failed: [], notified: 0, notifyFailed: 0, baselines, alarms: null };
  const snapshot: EvaluationSnapshot = { at: nowOf(ctx).toISOString(), rules: {} };
  const transitions: Transition[] = [];

  for (const rule of rules) {
    const kind = rule.kind as AlertKind;
    if (!ALERT_KIND_INFO[kind]) {
      result.failed.push({ ruleId: rule.id, error: `unknown kind "${rule.kind}"` });
      continue;
    }
    let evaluation: RuleEvaluation;
    try {
      evaluation = await ruleValue(ctx, { id: rule.id, kind, windowMinutes: rule.windowMinutes, deployment: rule.deployment }, sources);
    } catch (error) {
      const message = (error as Error).message;
      logger.warn({ ruleId: rule.id, kind, err: message }, 'alert rule could not be evaluated');
      result.failed.push({ ruleId: rule.id, error: message });
      snapshot.rules[rule.id] = { value: null, note: `Could not be evaluated: ${message}`.slice(0, 500) };
      continue;
    }
    snapshot.rules[rule.id] = { value: evaluation.value, note: evaluation.note };
    result.evaluated++;
    if (evaluation.value === null) {
      result.noData++;
      continue;
    }
    const comparator = rule.comparator as Comparator;
    const holds = compare(evaluation.value, comparator, rule.threshold);
    const payloadRule = { id: rule.id, name: rule.name, kind, deployment: rule.deployment?.name ?? null, comparator, threshold: rule.threshold, windowMinutes: rule.windowMinutes, unit: ALERT_KIND_INFO[kind].unit };
    const t = await transition(ctx, rule.id, holds, evaluation.value, {
      firing: () => firingMessage(payloadRule, evaluation.value!, evaluation.note),
      resolved: (fired) => `${fired} — resolved: ${ALERT_KIND_INFO[kind].label.toLowerCase()} back to ${formatAlertValue(kind, evaluation.value!)}`,
    });
    if (!t) continue;
    (t.type === 'firing' ? result.fired : result.resolved).push(rule.id);
    transitions.push({ ...t, webhookUrl: rule.webhookUrl, rule: payloadRule });
  }

  await ctx.db.setting.upsert({
    where: { key: EVALUATION_SETTING },
    create: { key: EVALUATION_SETTING, value: snapshot as unknown as Prisma.InputJsonValue },
    update: { value: snapshot as unknown as Prisma.InputJsonValue },
  });

  const outcomes = await Promise.all(transitions.filter((t) => t.webhookUrl).map((t) => notify(ctx, t, opts.webhook ?? DEFAULT_WEBHOOK_OPTIONS)));
  result.notified = outcomes.filter(Boolean).length;
  result.notifyFailed = outcomes.length - result.notified;
  result.alarms = await syncCloudAlarms(ctx);
  return result;
}

/** Opens or closes the rule's alert as the value says, under a row lock; null when nothing changes. */
async function transition(ctx: ServiceContext, ruleId: string, holds: boolean, value: number, message: { firing: () => string; resolved: (fired: string) => string }) {
  return ctx.db.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string; isEnabled: boolean }[]>`select id, "isEnabled" from "AlertRule" where id = ${ruleId} for update`;
    // Deleted or disabled since the rules were read: leave it be.
    if (!locked[0]?.isEnabled) return null;
    const open = await tx.alertEvent.findFirst({ where: { ruleId, resolvedAt: null, state: 'firing' }, orderBy: { firedAt: 'desc' } });
    const now = nowOf(ctx);
    if (holds && !open) {
      const text = message.firing();
      const e = await tx.alertEvent.create({ data: { ruleId, state: 'firing', value, message: text, firedAt: now } });
      return { type: 'firing' as const, eventId: e.id, value, message: text, firedAt: e.firedAt, resolvedAt: null };
    }
    if (!holds && open) {
      const text = message.resolved(open.message);
      await tx.alertEvent.update({ where: { id: open.id }, data: { state: 'resolved', resolvedAt: now, message: text } });
      return { type: 'resolved' as const, eventId: open.id, value, message: text, firedAt: open.firedAt, resolvedAt: now };
    }
    return null;
  });
}

function firingMessage(rule: AlertWebhookPayload['rule'], value: number, note: string | null): string {
  const where = rule.deployment ? `${rule.deployment}: ` : '';
  return `${where}${ALERT_KIND_INFO[rule.kind].label} is ${formatAlertValue(rule.kind, value)} (rule: ${describeCondition(rule.kind, rule.comparator, rule.threshold, rule.windowMinutes)})${note ? `; ${note}` : ''}`;
}

async function notify(ctx: ServiceContext, t: Transition, options: WebhookOptions): Promise<boolean> {
  const payload: AlertWebhookPayload = {
    event: t.type === 'firing' ? 'alert.firing' : 'alert.resolved', id: t.eventId, rule: t.rule, value: t.value, message: t.message,
    firedAt: t.firedAt.toISOString(), resolvedAt: t.resolvedAt?.toISOString() ?? null, sentAt: nowOf(ctx).toISOString(),
  };
  const outcome = await sendWebhook(t.webhookUrl!, payload, options);
  if (!outcome.ok) logger.warn({ ruleId: t.rule.id, eventId: t.eventId, err: outcome.error }, 'alert webhook failed');
  await ctx.db.alertEvent
    .update({ where: { id: t.eventId }, data: outcome.ok ? { notifiedAt: new Date(), notifyError: null } : { notifyError: outcome.error } })
    .catch((error: Error) => logger.warn({ eventId: t.eventId, err: error.message }, 'could not record the webhook outcome'));
  return outcome.ok;
}

/** Drift needs each serving model's training distribution: computed here, once per model version, off the request path. */
async function prepareDriftBaselines(ctx: ServiceContext) {
  const serving = await ctx.db.deployment.findMany({ where: { currentModelVersionId: { not: null } }, select: { currentModelVersionId: true } });
  const ids = [...new Set(serving.map((d) => d.currentModelVersionId!))];
  const have = new Set((await ctx.db.driftBaseline.findMany({ where: { modelVersionId: { in: ids } }, select: { modelVersionId: true } })).map((b) => b.modelVersionId));
  let computed = 0;
  let failed = 0;
  for (const id of ids.filter((i) => !have.has(i))) {
    try {
      await ensureDriftBaseline(ctx, id);
      computed++;
    } catch (error) {
      failed++;
      logger.warn({ modelVersionId: id, err: (error as Error).message }, 'drift baseline could not be computed');
    }
  }
  return { computed, failed };
}

/** AWS mode: CloudWatch alarms mirror the enabled rules it can evaluate (p95 latency, error rate). */
async function syncCloudAlarms(ctx: ServiceContext): Promise<EvaluationResult['alarms']> {
  const telemetry = ctx.adapters.telemetry;
  if (!telemetry) return null;
  const rules = await ctx.db.alertRule.findMany({
    where: { isEnabled: true, kind: { in: [...ALARM_KINDS] }, deploymentId: { not: null } },
    select: { id: true, name: true, kind: true, comparator: true, threshold: true, windowMinutes: true, deployment: { select: { name: true } } },
  });
  const wanted: AlarmRule[] = rules.map((r) => ({ ruleId: r.id, name: r.name, kind: r.kind as AlarmRule['kind'], deployment: r.deployment!.name, comparator: r.comparator as Comparator, threshold: r.threshold, windowMinutes: r.windowMinutes }));
  try {
    const done = await telemetry.syncAlarms(wanted);
    return { put: done.put.length, deleted: done.deleted.length, error: null };
  } catch (error) {
    logger.warn({ err: (error as Error).message }, 'CloudWatch alarm sync failed');
    return { put: 0, deleted: 0, error: (error as Error).message };
  }
}
