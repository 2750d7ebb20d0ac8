import 'server-only';
import { DEFAULT_ALGORITHM, estimatorSpec, type ParamValue } from '@/ml/estimators';
import { Rng } from '@/ml/core/random';
import { AppError, notFound, parseInput } from '@/server/errors';
import type { Prisma } from '@/server/db/client';
import { recordAudit } from '../audit/record-audit';
import { actorUserId, assertCan, describeActor, nowOf, type Db, type ServiceContext } from '../context';
import type { JobQueue } from '@/server/jobs/queue-port';
import { checkedParams, createRunRow } from './launch-run';
import { resolveTrainableVersion } from './resolve-dataset-version';
import { appendRunLog } from './run-log';
import { launchSweepInput } from './schemas';

type Space = Record<string, ParamValue[] | { min: number; max: number; log?: boolean }>;

/**
 * The parameter sets a sweep will run. Grid: every combination, in order — or,
 * when there are more than the budget, `budget` of them drawn at random (seeded).
 * Random: each parameter drawn from its list, or uniformly from its range (on a
 * log scale when asked or when the parameter is searched that way by default).
 */
export function sweepCombinations(algorithm: string, strategy: 'grid' | 'random', space: Space, budget: number, seed: number): Record<string, ParamValue>[] {
  const spec = estimatorSpec(algorithm);
  const rng = new Rng(seed);
  const names = Object.keys(space);
  for (const name of names) {
    const param = spec.params.find((p) => p.name === name);
    if (!param) throw new AppError('VALIDATION', `Unknown parameter "${name}" for ${algorithm}: known are ${spec.params.map((p) => p.name).join(', ')}`, { fields: [{ field: `space.${name}`, message: 'unknown parameter' }] });
    const dim = space[name]!;
    if (!Array.isArray(dim)) {
      if (param.type !== 'number' && param.type !== 'integer') throw new AppError('VALIDATION', `Parameter ${name} is ${param.type}: give a list of values, not a range.`, { fields: [{ field: `space.${name}`, message: 'needs a list' }] });
      if (!(dim.min < dim.max)) throw new AppError('VALIDATION', `Range of ${name}: min must be below max (got ${dim.min}…${dim.max}).`, { fields: [{ field: `space.${name}`, message: 'min ≥ max' }] });
      if (strategy === 'grid') throw new AppError('VALIDATION', `A grid needs a list of values for ${name}; ranges are for random search.`, { fields: [{ field: `space.${name}`, message: 'needs a list' }] });
      if ((dim.log ?? param.log) && dim.min <= 0) throw new AppError('VALIDATION', `A log-scale range of ${name} must be positive (got min ${dim.min}).`, { fields: [{ field: `space.${name}`, message: 'min ≤ 0' }] });
    }
  }
  const draw = (name: string): ParamValue => {
    const dim = space[name]!;
    if (Array.isArray(dim)) return dim[rng.int(dim.length)]!;
    const param = spec.params.find((p) => p.name === name)!;
    const u = rng.next();
    const value = (dim.log ?? param.log) ? Math.exp(Math.log(dim.min) + u * (Math.log(dim.max) - Math.log(dim.min))) : dim.min + u * (dim.max - dim.min);
    return param.type === 'integer' ? Math.round(value) : Number(value.toPrecision(6));
  };
  if (strategy === 'random') return Array.from({ length: budget }, () => Object.fromEntries(names.map((n) => [n, draw(n)])));
  let grid: Record<string, ParamValue>[] = [{}];
  for (const name of names) grid = grid.flatMap((partial) => (space[name] as ParamValue[]).map((v) => ({ ...partial, [name]: v })));
  if (grid.length <= budget) return grid;
  return rng.shuffle(Int32Array.from(grid.keys())).slice(0, budget).sort().reduce<Record<string, ParamValue>[]>((out, i) => [...out, grid[i]!], []);
}

/**
 * Launch a sweep: every run is created now (queued, so the plan is visible) and
 * checked like a single launch; the first `concurrency` go to the queue, and each
 * finished run lets the next one start.
 */
export async function launchSweep(ctx: ServiceContext, input: unknown) {
  assertCan(ctx, 'runs:write');
  const data = parseInput(launchSweepInput, input);
  const algorithm = data.algorithm ?? DEFAULT_ALGORITHM;
  checkedParams(algorithm, data.baseParams);
  const combos = sweepCombinations(algorithm, data.strategy, data.space as Space, data.budget, data.seed);
  const paramSets = combos.map((combo, i) => {
    try {
      return checkedParams(algorithm, { ...data.baseParams, ...combo });
    } catch (error) {
      if (error instanceof AppError) throw new AppError('VALIDATION', `Sweep run ${i + 1}: ${error.message}`, error.details);
      throw error;
    }
  });
  const backend = ctx.adapters.training?.defaultBackend ?? 'local';
  if (backend === 'sagemaker' && !ctx.adapters.training?.remote) throw new AppError('VALIDATION', 'SageMaker training is the default here but is not configured (SAGEMAKER_ROLE_ARN, TRAINER_IMAGE_URI, STORAGE_BACKEND=s3).');
  const sweep = await ctx.db.$transaction(async (tx) => {
    const version = await resolveTrainableVersion(tx, data.dataset);
    const name = data.name || `${data.strategy} sweep of ${algorithm} on ${version.label}`;
    const sweep = await tx.sweep.create({
      data: {
        name, datasetVersionId: version.id, algorithm, strategy: data.strategy, space: data.space as Prisma.InputJsonValue, baseParams: data.baseParams as Prisma.InputJsonValue,
        budget: paramSets.length, concurrency: data.concurrency, metric: data.metric, status: 'running', createdById: actorUserId(ctx.actor),
      },
    });
    for (const [i, params] of paramSets.entries()) {
      await createRunRow(tx, ctx, { datasetVersionId: version.id, algorithm, params, seed: data.seed, name: `${name} · ${i + 1}/${paramSets.length}`, tags: data.tags, maxAttempts: 2, backend, sweepId: sweep.id });
    }
    await recordAudit(tx, ctx, { action: 'sweep.launch', entityType: 'sweep', entityId: sweep.id, summary: `Launched ${data.strategy} sweep "${name}" (${paramSets.length} runs, ${data.concurrency} at a time)`, after: { space: data.space, budget: paramSets.length, concurrency: data.concurrency, metric: data.metric } });
    return sweep;
  });
  await advanceSweep(ctx.db, ctx.adapters.queue, sweep.id);
  return { id: sweep.id, name: sweep.name, runs: paramSets.length };
}

/**
 * Start the sweep's next runs while fewer than `concurrency` are in flight, and
 * close it when every run has finished. Serialised per sweep by an advisory lock,
 * so two finishing runs cannot both start the same next one.
 */
export async function advanceSweep(db: Db, queue: JobQueue | undefined, sweepId: string) {
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${`sweep:${sweepId}`}))`;
    const sweep = await tx.sweep.findUnique({ where: { id: sweepId }, select: { id: true, status: true, concurrency: true } });
    if (!sweep || sweep.status !== 'running') return;
    const runs = await tx.run.findMany({ where: { sweepId }, orderBy: { number: 'asc' }, select: { id: true, status: true, jobId: true } });
    const inFlight = runs.filter((r) => r.status === 'running' || (r.status === 'queued' && r.jobId)).length;
    const waiting = runs.filter((r) => r.status === 'queued' && !r.jobId);
    if (queue) {
      for (const run of waiting.slice(0, Math.max(0, sweep.concurrency - inFlight))) {
        const jobId = await queue.send('run.execute', { runId: run.id });
        await tx.run.update({ where: { id: run.id }, data: { jobId: jobId ?? 'sent' } });
      }
    }
    if (runs.every((r) => r.status === 'succeeded' || r.status === 'failed' || r.status === 'cancelled')) {
      const status = runs.some((r) => r.status === 'succeeded') ? 'succeeded' : runs.every((r) => r.status === 'cancelled') ? 'cancelled' : 'failed';
      await tx.sweep.update({ where: { id: sweepId }, data: { status, finishedAt: new Date() } });
    }
  });
}

export async function cancelSweep(ctx: ServiceContext, sweepId: string) {
  assertCan(ctx, 'runs:write');
  const now = nowOf(ctx);
  return ctx.db.$transaction(async (tx) => {
    const sweep = await tx.sweep.findUnique({ where: { id: sweepId }, select: { id: true, name: true, status: true } });
    if (!sweep) throw notFound(`Sweep "${sweepId}"`);
    if (sweep.status !== 'running' && sweep.status !== 'queued') throw new AppError('CONFLICT', `Sweep "${sweep.name}" already finished (${sweep.status}).`);
    const queued = await tx.run.updateMany({ where: { sweepId, status: 'queued' }, data: { status: 'cancelled', stage: 'cancelled', finishedAt: now, cancelRequestedAt: now } });
    const running = await tx.run.updateMany({ where: { sweepId, status: 'running', cancelRequestedAt: null }, data: { cancelRequestedAt: now } });
    const runningIds = await tx.run.findMany({ where: { sweepId, status: 'running' }, select: { id: true } });
    for (const r of runningIds) await appendRunLog(tx, r.id, 'warn', `Sweep cancelled by ${describeActor(ctx.actor)}; stopping.`);
    await tx.sweep.update({ where: { id: sweepId }, data: { status: 'cancelled', finishedAt: now } });
    await recordAudit(tx, ctx, { action: 'sweep.cancel', entityType: 'sweep', entityId: sweepId, summary: `Cancelled sweep "${sweep.name}" (${queued.count} queued runs dropped, ${running.count} running stopped)` });
    return { id: sweepId, cancelledQueued: queued.count, stoppingRunning: running.count };
  });
}

export async function listSweeps(ctx: ServiceContext) {
  assertCan(ctx, 'read');
  const sweeps = await ctx.db.sweep.findMany({ orderBy: { createdAt: 'desc' }, take: 100, include: { datasetVersion: { select: { version: true, dataset: { select: { name: true } } } }, createdBy: { select: { email: true } } } });
  const counts = await ctx.db.run.groupBy({ by: ['sweepId', 'status'], where: { sweepId: { in: sweeps.map((s) => s.id) } }, _count: true });
  return sweeps.map((s) => ({
    id: s.id, name: s.name, algorithm: s.algorithm, strategy: s.strategy, budget: s.budget, concurrency: s.concurrency, metric: s.metric, status: s.status,
    createdAt: s.createdAt, finishedAt: s.finishedAt, createdBy: s.createdBy?.email ?? null, dataset: `${s.datasetVersion.dataset.name} v${s.datasetVersion.version ?? '?'}`,
    counts: Object.fromEntries(counts.filter((c) => c.sweepId === s.id).map((c) => [c.status, c._count])) as Partial<Record<string, number>>,
  }));
}

/** A sweep with its runs and the best one by the sweep's metric. */
export async function getSweep(ctx: ServiceContext, sweepId: string) {
  assertCan(ctx, 'read');
  const sweep = await ctx.db.sweep.findUnique({ where: { id: sweepId }, include: { datasetVersion: { select: { id: true, version: true, dataset: { select: { name: true } } } }, createdBy: { select: { email: true } } } });
  if (!sweep) throw notFound(`Sweep "${sweepId}"`);
  const runs = await ctx.db.run.findMany({
    where: { sweepId }, orderBy: { number: 'asc' },
    select: { id: true, number: true, name: true, status: true, params: true, accuracy: true, macroF1: true, progress: true, durationMs: true, costUsd: true, error: true },
  });
  const key = sweep.metric === 'accuracy' ? 'accuracy' : 'macroF1';
  const best = runs.filter((r) => r.status === 'succeeded' && r[key] !== null).sort((a, b) => b[key]! - a[key]! || a.number - b.number)[0] ?? null;
  return {
    id: sweep.id, name: sweep.name, algorithm: sweep.algorithm, strategy: sweep.strategy, space: sweep.space as Space, baseParams: sweep.baseParams as Record<string, ParamValue>,
    budget: sweep.budget, concurrency: sweep.concurrency, metric: sweep.metric, status: sweep.status, createdAt: sweep.createdAt, finishedAt: sweep.finishedAt,
    createdBy: sweep.createdBy?.email ?? null, dataset: { versionId: sweep.datasetVersion.id, label: `${sweep.datasetVersion.dataset.name} v${sweep.datasetVersion.version ?? '?'}` },
    runs: runs.map((r) => ({ ...r, params: r.params as Record<string, ParamValue> })), bestRunId: best?.id ?? null,
  };
}
