import 'server-only';
import { DEFAULT_ALGORITHM, resolveParams } from '@/ml/estimators';
import { MlError } from '@/ml/core/errors';
import { AppError, parseInput } from '@/server/errors';
import type { Prisma } from '@/server/db/client';
import { recordAudit } from '../audit/record-audit';
import { actorUserId, assertCan, type DbTx, type ServiceContext } from '../context';
import { enqueueRun } from './enqueue-run';
import { resolveTrainableVersion } from './resolve-dataset-version';
import { launchRunInput } from './schemas';

/** Parameters checked against the estimator's schema; an MlError becomes a 400 naming the parameter. */
export function checkedParams(algorithm: string, params: Record<string, unknown>) {
  try {
    return resolveParams(algorithm, params);
  } catch (error) {
    if (error instanceof MlError) throw new AppError('VALIDATION', error.message, { fields: [{ field: /Unknown algorithm/.test(error.message) ? 'algorithm' : 'params', message: error.message }] });
    throw error;
  }
}

export type NewRun = {
  datasetVersionId: string;
  algorithm: string;
  params: Record<string, unknown>;
  seed: number;
  name: string;
  tags: string[];
  maxAttempts: number;
  backend: 'local' | 'sagemaker';
  sweepId?: string;
  /** Whose run it is when not the actor's (a retrain counts as its setting's owner's, for four-eyes). */
  createdById?: string | null;
};

/** Insert a queued run and its audit row (inside the caller's transaction). */
export async function createRunRow(tx: DbTx, ctx: ServiceContext, run: NewRun) {
  const created = await tx.run.create({
    data: {
      datasetVersionId: run.datasetVersionId,
      algorithm: run.algorithm,
      params: run.params as Prisma.InputJsonValue,
      seed: run.seed,
      name: run.name,
      tags: run.tags,
      maxAttempts: run.maxAttempts,
      backend: run.backend,
      sweepId: run.sweepId ?? null,
      stage: 'queued',
      createdById: run.createdById !== undefined ? run.createdById : actorUserId(ctx.actor),
    },
    select: { id: true, number: true, name: true },
  });
  await recordAudit(tx, ctx, {
    action: 'run.launch',
    entityType: 'run',
    entityId: created.id,
    summary: `Launched run #${created.number} (${run.algorithm})${run.sweepId ? ' in a sweep' : ''}`,
    after: { algorithm: run.algorithm, params: run.params, seed: run.seed, datasetVersionId: run.datasetVersionId, tags: run.tags, backend: run.backend },
  });
  return created;
}

/**
 * Launch a training run: the dataset version must be ready, the algorithm known
 * and every parameter in range — otherwise nothing is queued. The run row and its
 * audit event commit together; then the job goes to the queue.
 */
export async function launchRun(ctx: ServiceContext, input: unknown) {
  assertCan(ctx, 'runs:write');
  const data = parseInput(launchRunInput, input);
  const algorithm = data.algorithm ?? DEFAULT_ALGORITHM;
  const params = checkedParams(algorithm, data.params);
  const backend = data.backend ?? ctx.adapters.training?.defaultBackend ?? 'local';
  if (backend === 'sagemaker' && !ctx.adapters.training?.remote) {
    const message = 'SageMaker training is not configured on this platform (it needs SAGEMAKER_ROLE_ARN, TRAINER_IMAGE_URI and STORAGE_BACKEND=s3); launch the run with backend "local".';
    throw new AppError('VALIDATION', message, { fields: [{ field: 'backend', message }] });
  }
  const created = await ctx.db.$transaction(async (tx) => {
    const version = await resolveTrainableVersion(tx, data.dataset);
    const name = data.name || `${algorithm} on ${version.label}`;
    return createRunRow(tx, ctx, { datasetVersionId: version.id, algorithm, params, seed: data.seed, name, tags: data.tags, maxAttempts: data.maxAttempts, backend });
  });
  await enqueueRun(ctx, created.id);
  return created;
}
