import 'server-only';
import { z } from 'zod';
import { ALERT_KIND_INFO, describeCondition, type AlertEventView, type AlertKind, type AlertRuleView, type AlertState, type Comparator } from '@/lib/alerts';

export type { AlertEventView, AlertRuleView, AlertState } from '@/lib/alerts';
import type { Db, DbTx, Prisma } from '@/server/db/client';
import { notFound, parseInput } from '@/server/errors';
import { assertCan, type ServiceContext } from '../context';
import { deploymentName } from '../deployments/schemas';
import { ensureDefaultRules } from './default-rules';

/** What the last evaluation found per rule (kept in one setting row; the worker rewrites it every minute). */
export const EVALUATION_SETTING = 'alert-evaluation';
export type RuleEvaluation = { value: number | null; note: string | null };
export type EvaluationSnapshot = { at: string; rules: Record<string, RuleEvaluation> };

const RULE_SELECT = {
  id: true, name: true, kind: true, comparator: true, threshold: true, windowMinutes: true, isEnabled: true, webhookUrl: true, createdAt: true, updatedAt: true,
  deployment: { select: { name: true } },
  createdBy: { select: { email: true } },
  events: { where: { resolvedAt: null, state: 'firing' }, orderBy: { firedAt: 'desc' }, take: 1, select: { id: true, firedAt: true, value: true, message: true } },
} as const satisfies Prisma.AlertRuleSelect;

type RuleRow = Prisma.AlertRuleGetPayload<{ select: typeof RULE_SELECT }>;

export async function readEvaluation(db: Db | DbTx): Promise<EvaluationSnapshot | null> {
  const row = await db.setting.findUnique({ where: { key: EVALUATION_SETTING } });
  const value = row?.value as EvaluationSnapshot | undefined;
  return value && typeof value.at === 'string' && value.rules ? value : null;
}

export function toRuleView(r: RuleRow, evaluation: EvaluationSnapshot | null): AlertRuleView {
  const kind = r.kind as AlertKind;
  const comparator = r.comparator as Comparator;
  const info = ALERT_KIND_INFO[kind];
  const open = r.events[0] ?? null;
  const evaluated = evaluation?.rules[r.id];
  const state: AlertState = !r.isEnabled ? 'disabled' : open ? 'firing' : !evaluated ? 'pending' : evaluated.value === null ? 'no-data' : 'ok';
  return {
    id: r.id, name: r.name, kind, kindLabel: info?.label ?? r.kind, unit: info?.unit ?? 'ratio',
    condition: info ? describeCondition(kind, comparator, r.threshold, r.windowMinutes) : `${r.kind} ${r.comparator} ${r.threshold}`,
    deployment: r.deployment?.name ?? null, comparator, threshold: r.threshold, windowMinutes: r.windowMinutes, isEnabled: r.isEnabled, webhookUrl: r.webhookUrl,
    createdBy: r.createdBy?.email ?? null, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(),
    state, value: evaluated?.value ?? null, note: evaluated?.note ?? null, evaluatedAt: evaluated ? evaluation!.at : null,
    openEvent: open ? { id: open.id, firedAt: open.firedAt.toISOString(), value: open.value, message: open.message } : null,
  };
}

export async function readRuleView(db: Db | DbTx, id: string): Promise<AlertRuleView> {
  const row = await db.alertRule.findUnique({ where: { id }, select: RULE_SELECT });
  if (!row) throw notFound(`Alert rule ${id}`);
  return toRuleView(row, await readEvaluation(db));
}

const listQuery = z.strictObject({ deployment: deploymentName.optional() });

/** The rules (a deployment's and the global ones, or all), with their state; creates the defaults on first use. */
export async function listAlertRules(ctx: ServiceContext, input: { deployment?: string } = {}): Promise<AlertRuleView[]> {
  assertCan(ctx, 'read');
  const q = parseInput(listQuery, input);
  await ensureDefaultRules(ctx.db);
  if (q.deployment && !(await ctx.db.deployment.findUnique({ where: { name: q.deployment }, select: { id: true } }))) throw notFound(`Deployment "${q.deployment}"`);
  const rows = await ctx.db.alertRule.findMany({
    where: q.deployment ? { OR: [{ deployment: { name: q.deployment } }, { deploymentId: null }] } : {},
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: RULE_SELECT,
  });
  const evaluation = await readEvaluation(ctx.db);
  return rows.map((r) => toRuleView(r, evaluation));
}

const eventsQuery = z.strictObject({ deployment: deploymentName.optional(), limit: z.number().int().min(1).max(500).default(50), openOnly: z.boolean().default(false) });

/** Firings and resolutions, newest first. */
export async function listAlertEvents(ctx: ServiceContext, input: { deployment?: string; limit?: number; openOnly?: boolean } = {}): Promise<AlertEventView[]> {
  assertCan(ctx, 'read');
  const q = parseInput(eventsQuery, input);
  const rows = await ctx.db.alertEvent.findMany({
    where: {
      ...(q.openOnly ? { resolvedAt: null, state: 'firing' } : {}),
      ...(q.deployment ? { rule: { OR: [{ deployment: { name: q.deployment } }, { deploymentId: null }] } } : {}),
    },
    orderBy: [{ firedAt: 'desc' }, { id: 'desc' }],
    take: q.limit,
    select: { id: true, ruleId: true, state: true, value: true, message: true, firedAt: true, resolvedAt: true, notifiedAt: true, notifyError: true, rule: { select: { name: true, kind: true, deployment: { select: { name: true } } } } },
  });
  return rows.map((e) => ({
    id: e.id, ruleId: e.ruleId, ruleName: e.rule.name, kind: e.rule.kind as AlertKind, deployment: e.rule.deployment?.name ?? null,
    state: e.state === 'resolved' ? 'resolved' : 'firing', value: e.value, message: e.message, firedAt: e.firedAt.toISOString(),
    resolvedAt: e.resolvedAt?.toISOString() ?? null, notifiedAt: e.notifiedAt?.toISOString() ?? null, notifyError: e.notifyError,
  }));
}

/** Alerts firing now, newest first (the overview card and GET /api/v1/alerts). */
export function listOpenAlerts(ctx: ServiceContext, input: { deployment?: string } = {}): Promise<AlertEventView[]> {
  return listAlertEvents(ctx, { ...input, openOnly: true, limit: 100 });
}
