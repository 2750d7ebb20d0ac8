import 'server-only';
import type { GateResult } from '@/lib/kpi-gates';
import { notFound, parseInput } from '@/server/errors';
import { assertCan, type ServiceContext } from '../context';
import type { RunMetrics } from '../runs/read-runs';
import { versionWhere } from './decide-model';
import { listModelsInput } from './schemas';

const SUMMARY = {
  id: true, modelName: true, version: true, algorithm: true, status: true, gatesPassed: true, gateResults: true, createdAt: true, updatedAt: true,
  metrics: true, artifactSha256: true, externalArn: true, externalError: true,
  run: { select: { id: true, number: true, name: true, createdBy: { select: { email: true, name: true } } } },
  datasetVersion: { select: { id: true, version: true, dataset: { select: { name: true } } } },
  registeredBy: { select: { email: true, name: true } },
  deployments: { select: { name: true, currentSince: true } },
} as const;

type SummaryRow = { metrics: unknown; gateResults: unknown };

function present<T extends SummaryRow>(row: T) {
  const metrics = row.metrics as RunMetrics;
  return { ...row, metrics, gateResults: row.gateResults as GateResult[], accuracy: metrics?.accuracy ?? null, macroF1: metrics?.macro_f1 ?? null };
}

export async function listModels(ctx: ServiceContext, input: unknown = {}) {
  assertCan(ctx, 'read');
  const { status, page, pageSize } = parseInput(listModelsInput, input);
  const where = status ? { status } : {};
  const [rows, total, counts] = await Promise.all([
    ctx.db.modelVersion.findMany({ where, select: SUMMARY, orderBy: [{ modelName: 'asc' }, { version: 'desc' }], skip: (page - 1) * pageSize, take: pageSize }),
    ctx.db.modelVersion.count({ where }),
    ctx.db.modelVersion.groupBy({ by: ['status'], _count: { _all: true } }),
  ]);
  return {
    models: rows.map(present), total, page, pageSize,
    counts: Object.fromEntries(counts.map((c) => [c.status, c._count._all])) as Partial<Record<'PendingManualApproval' | 'Approved' | 'Rejected', number>>,
  };
}

export type ModelSummary = Awaited<ReturnType<typeof listModels>>['models'][number];

/** One version with its lineage, gates, approval timeline and deployment history. */
export async function getModel(ctx: ServiceContext, ref: string) {
  assertCan(ctx, 'read');
  const row = await ctx.db.modelVersion.findFirst({
    where: versionWhere(ref),
    select: {
      ...SUMMARY, params: true, artifactUri: true, codeVersion: true, datasetHash: true, overrideReason: true, runId: true,
      run: { select: { id: true, number: true, name: true, seed: true, durationMs: true, costUsd: true, finishedAt: true, createdById: true, createdBy: { select: { email: true, name: true } } } },
      datasetVersion: { select: { id: true, version: true, contentHash: true, basketCount: true, dataset: { select: { name: true } } } },
      transitions: { orderBy: { at: 'asc' }, select: { id: true, fromStatus: true, toStatus: true, actorLabel: true, comment: true, isOverride: true, at: true } },
      deploymentEvents: { orderBy: { startedAt: 'asc' }, select: { id: true, action: true, actorLabel: true, comment: true, startedAt: true, endedAt: true, deployment: { select: { name: true } } } },
    },
  });
  if (!row) throw notFound(`Model version "${ref}"`);
  return present(row);
}

export type ModelDetail = Awaited<ReturnType<typeof getModel>>;

/**
 * The candidate beside what serves a deployment now (production by default):
 * headline metric deltas, per-class F1 and both confusion matrices. `current` is
 * null when nothing is deployed there, or when the candidate is what serves.
 */
export async function compareWithDeployed(ctx: ServiceContext, ref: string, deployment = 'production') {
  const candidate = await getModel(ctx, ref);
  const dep = await ctx.db.deployment.findUnique({ where: { name: deployment }, select: { currentModelVersionId: true, currentSince: true } });
  const current = dep?.currentModelVersionId && dep.currentModelVersionId !== candidate.id ? await getModel(ctx, dep.currentModelVersionId) : null;
  const keys = ['accuracy', 'macro_f1', 'weighted_f1', 'log_loss', 'row_accuracy'] as const;
  const deltas = keys.map((key) => {
    const a = candidate.metrics?.[key] ?? null;
    const b = current?.metrics?.[key] ?? null;
    return { metric: key, candidate: a, current: b, delta: a !== null && b !== null ? a - b : null, higherIsBetter: key !== 'log_loss' };
  });
  return { deployment, isServing: dep?.currentModelVersionId === candidate.id, candidate, current, since: dep?.currentSince ?? null, deltas };
}
