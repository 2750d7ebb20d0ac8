import 'server-only';
import { AppError, notFound, parseInput } from '@/server/errors';
import type { Prisma } from '@/server/db/client';
import { assertCan, type ServiceContext } from '../context';
import { listRunsInput } from './schemas';

const SUMMARY = {
  id: true, number: true, name: true, tags: true, algorithm: true, params: true, seed: true, status: true, backend: true, progress: true, etaSeconds: true,
  stage: true, accuracy: true, macroF1: true, error: true, attempts: true, maxAttempts: true, costUsd: true, instanceType: true, sweepId: true,
  createdAt: true, startedAt: true, finishedAt: true, durationMs: true, cancelRequestedAt: true,
  createdBy: { select: { email: true } },
  datasetVersion: { select: { id: true, version: true, dataset: { select: { name: true } } } },
} as const satisfies Prisma.RunSelect;

type SummaryRow = Prisma.RunGetPayload<{ select: typeof SUMMARY }>;

function presentSummary(r: SummaryRow) {
  const { createdBy, datasetVersion, ...rest } = r;
  return {
    ...rest,
    params: r.params as Record<string, number | string | boolean>,
    createdBy: createdBy?.email ?? null,
    dataset: { versionId: datasetVersion.id, name: datasetVersion.dataset.name, version: datasetVersion.version, label: `${datasetVersion.dataset.name} v${datasetVersion.version ?? '?'}` },
  };
}
export type RunSummary = ReturnType<typeof presentSummary>;

/** Runs, filtered, sorted (nulls last) and paged; with the total for the pager. */
export async function listRuns(ctx: ServiceContext, input: unknown = {}) {
  assertCan(ctx, 'read');
  const f = parseInput(listRunsInput, input);
  const where: Prisma.RunWhereInput = {
    ...(f.status ? { status: f.status } : {}),
    ...(f.algorithm ? { algorithm: f.algorithm } : {}),
    ...(f.datasetVersionId ? { datasetVersionId: f.datasetVersionId } : {}),
    ...(f.dataset ? { datasetVersion: { dataset: { name: f.dataset } } } : {}),
    ...(f.tag ? { tags: { has: f.tag } } : {}),
    ...(f.sweepId ? { sweepId: f.sweepId } : {}),
    ...(f.q ? { OR: [{ name: { contains: f.q, mode: 'insensitive' } }, ...(/^#?\d+$/.test(f.q) ? [{ number: Number(f.q.replace('#', '')) }] : [])] } : {}),
  };
  const orderBy: Prisma.RunOrderByWithRelationInput[] = [
    f.sort === 'accuracy' || f.sort === 'macroF1' || f.sort === 'durationMs' ? { [f.sort]: { sort: f.order, nulls: 'last' } } : { [f.sort]: f.order },
    { number: 'desc' },
  ];
  const [rows, total] = await Promise.all([
    ctx.db.run.findMany({ where, orderBy, skip: (f.page - 1) * f.pageSize, take: f.pageSize, select: SUMMARY }),
    ctx.db.run.count({ where }),
  ]);
  return { runs: rows.map(presentSummary), total, page: f.page, pageSize: f.pageSize };
}

/** What a finished run stores as its metrics (test weeks after the training weeks). */
export type RunMetrics = {
  accuracy: number;
  macro_f1: number;
  weighted_f1: number;
  log_loss: number;
  row_accuracy: number;
  per_class: Record<string, { precision: number; recall: number; f1: number; support: number }>;
  confusion_matrix: { labels: string[]; matrix: number[][] };
  calibration: Record<string, { lower: number; upper: number; meanPredicted: number; fractionPositive: number; count: number }[]>;
  n_train: number;
  n_test: number;
  split: { trainWeeks: [number, number]; testWeeks: [number, number] };
  unknown_product_lines: number;
};

/** One run with everything its page shows (curves and logs are fetched separately: they grow while it runs). */
export async function getRun(ctx: ServiceContext, runId: string) {
  assertCan(ctx, 'read');
  const run = await ctx.db.run.findFirst({
    where: /^\d+$/.test(runId) ? { number: Number(runId) } : { id: runId },
    select: {
      ...SUMMARY, metrics: true, featureImportance: true, artifactUri: true, artifactSha256: true, artifactBytes: true, codeVersion: true, externalJobName: true, workerId: true,
      sweep: { select: { id: true, name: true } },
      datasetVersion: { select: { id: true, version: true, contentHash: true, basketCount: true, minWeek: true, maxWeek: true, dataset: { select: { name: true } } } },
      modelVersion: { select: { id: true, version: true, status: true } },
    },
  });
  if (!run) throw notFound(`Run "${runId}"`);
  return {
    ...presentSummary(run),
    metrics: run.metrics as RunMetrics | null,
    featureImportance: (run.featureImportance as { feature: string; importance: number }[] | null) ?? [],
    artifactUri: run.artifactUri, artifactSha256: run.artifactSha256, artifactBytes: run.artifactBytes === null ? null : Number(run.artifactBytes),
    codeVersion: run.codeVersion, externalJobName: run.externalJobName, workerId: run.workerId,
    sweep: run.sweep, modelVersion: run.modelVersion,
    datasetDetail: { contentHash: run.datasetVersion.contentHash, basketCount: run.datasetVersion.basketCount, minWeek: run.datasetVersion.minWeek, maxWeek: run.datasetVersion.maxWeek },
  };
}
export type RunDetail = Awaited<ReturnType<typeof getRun>>;

/** Log lines after a cursor (the last id seen), oldest first, so pages can stream them. */
export async function getRunLogs(ctx: ServiceContext, runId: string, opts: { after?: string | null; limit?: number } = {}) {
  assertCan(ctx, 'read');
  const limit = Math.min(Math.max(opts.limit ?? 500, 1), 2000);
  let after: bigint | undefined;
  if (opts.after) {
    if (!/^\d+$/.test(opts.after)) throw new AppError('VALIDATION', `after must be a log id (digits), got "${opts.after}"`, { fields: [{ field: 'after', message: 'must be digits' }] });
    after = BigInt(opts.after);
  }
  const exists = await ctx.db.run.count({ where: { id: runId } });
  if (!exists) throw notFound(`Run "${runId}"`);
  const rows = await ctx.db.runLog.findMany({ where: { runId, ...(after !== undefined ? { id: { gt: after } } : {}) }, orderBy: { id: 'asc' }, take: limit, select: { id: true, at: true, level: true, message: true } });
  return { logs: rows.map((r) => ({ ...r, id: r.id.toString() })), cursor: rows.length ? rows[rows.length - 1]!.id.toString() : (opts.after ?? null) };
}

/** Learning curves: { key: [{ step, value }] }, e.g. train_loss and validation_loss per iteration. */
export async function getRunCurves(ctx: ServiceContext, runIds: string[]) {
  assertCan(ctx, 'read');
  const points = await ctx.db.runMetricPoint.findMany({ where: { runId: { in: runIds } }, orderBy: [{ runId: 'asc' }, { key: 'asc' }, { step: 'asc' }], select: { runId: true, key: true, step: true, value: true } });
  const out: Record<string, Record<string, { step: number; value: number }[]>> = Object.fromEntries(runIds.map((id) => [id, {}]));
  for (const p of points) (out[p.runId]![p.key] ??= []).push({ step: p.step, value: p.value });
  return out;
}

/** Runs side by side: their details and curves, in the order asked. */
export async function compareRuns(ctx: ServiceContext, ids: string[]) {
  assertCan(ctx, 'read');
  const unique = [...new Set(ids.map((s) => s.trim()).filter(Boolean))];
  if (unique.length < 1) throw new AppError('VALIDATION', 'Choose at least one run to compare.', { fields: [{ field: 'ids', message: 'is empty' }] });
  if (unique.length > 50) throw new AppError('VALIDATION', `Compare at most 50 runs at once (got ${unique.length}).`, { fields: [{ field: 'ids', message: 'too many' }] });
  const runs = await Promise.all(unique.map((id) => getRun(ctx, id)));
  const curves = await getRunCurves(ctx, runs.map((r) => r.id));
  return { runs, curves };
}
