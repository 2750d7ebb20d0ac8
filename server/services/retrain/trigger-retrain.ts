import 'server-only';
import { resolveParams } from '@/ml/estimators';
import { MlError } from '@/ml/core/errors';
import { roleCan } from '@/lib/permissions';
import { RETRAIN_TAG } from '@/lib/retrain';
import type { Prisma } from '@/server/db/client';
import { logger } from '@/server/logger';
import { recordAudit } from '../audit/record-audit';
import type { Actor, DbTx, ServiceContext } from '../context';
import { enqueueRun } from '../runs/enqueue-run';
import { createRunRow } from '../runs/launch-run';
import { appendRunLog } from '../runs/run-log';
import { schemaColumnsOf, schemaDifference } from './data-schema';

/** Retrains act as the system (audit: "retrain on new data"); their runs count as the setting owner's. */
export const RETRAIN_ACTOR: Actor = { kind: 'system', label: 'retrain on new data' };

export type TriggerOutcome = { triggerId: string; status: 'training' | 'skipped' | 'failed'; runId: string | null; message: string | null };

const isUniqueViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === 'P2002';

/**
 * A new ready version of a dataset that retrains on new data: launch a run on it
 * with the stored template, tagged "retrain". Exactly once per version — under the
 * dataset's row lock, and the trigger row (unique per version) commits together
 * with the run and its audit rows — however often the import job or the sweep
 * calls this. Returns null when there is nothing to do.
 */
export async function triggerRetrain(ctx: ServiceContext, versionId: string): Promise<TriggerOutcome | null> {
  let outcome: TriggerOutcome | null;
  try {
    outcome = await ctx.db.$transaction((tx) => triggerInTransaction(tx, ctx, versionId));
  } catch (error) {
    if (isUniqueViolation(error)) return null; // another process triggered it at the same moment
    throw error;
  }
  if (outcome?.runId) {
    // If the send fails the run stays queued without a job, and the worker's recovery pass sends it.
    await enqueueRun(ctx, outcome.runId).catch((error: Error) => logger.warn({ err: error.message, runId: outcome.runId }, 'retrain run not sent yet'));
  }
  return outcome;
}

async function triggerInTransaction(tx: DbTx, ctx: ServiceContext, versionId: string): Promise<TriggerOutcome | null> {
  const head = await tx.datasetVersion.findUnique({ where: { id: versionId }, select: { datasetId: true } });
  if (!head) return null;
  await tx.$queryRaw`select id from "Dataset" where id = ${head.datasetId} for update`;
  const version = await tx.datasetVersion.findUniqueOrThrow({
    where: { id: versionId },
    select: {
      id: true, version: true, status: true, deletedAt: true, completedAt: true, profile: true, datasetId: true,
      retrainTrigger: { select: { id: true } },
      dataset: {
        select: {
          name: true, retrainOnNewVersion: true,
          retrainPolicy: { include: { owner: { select: { email: true, isActive: true, role: true } }, candidateDeployment: { select: { name: true } }, sourceRun: { select: { number: true } } } },
        },
      },
    },
  });
  const policy = version.dataset.retrainPolicy;
  if (version.status !== 'ready' || version.deletedAt || version.retrainTrigger) return null;
  if (!version.dataset.retrainOnNewVersion || !policy?.enabledAt || !version.completedAt || version.completedAt < policy.enabledAt) return null;

  const label = `${version.dataset.name} v${version.version}`;
  const candidateFor = policy.candidateDeployment?.name ?? null;
  const notLaunched = async (status: 'skipped' | 'failed', message: string): Promise<TriggerOutcome> => {
    const trigger = await tx.retrainTrigger.create({ data: { datasetId: version.datasetId, datasetVersionId: version.id, status, message, candidateFor, finishedAt: new Date() }, select: { id: true } });
    await recordAudit(tx, ctx, { action: `dataset.retrain_${status}`, entityType: 'dataset_version', entityId: version.id, summary: `New version ${label} did not start a retrain: ${message}`, after: { triggerId: trigger.id, status } });
    return { triggerId: trigger.id, status, runId: null, message };
  };

  // The runs are the owner's: if they may no longer train (deactivated, role changed), nothing runs in their name.
  const owner = policy.owner;
  if (policy.ownerId && owner && (!owner.isActive || !roleCan(owner.role, 'runs:write') || !roleCan(owner.role, 'models:register'))) {
    return notLaunched('skipped', `retraining was turned on by ${owner.email}, who ${owner.isActive ? `(now ${owner.role}) may no longer launch runs` : 'has been deactivated'}; someone who may should turn it on again.`);
  }
  const difference = schemaDifference(policy.schemaColumns, schemaColumnsOf(version.profile));
  if (difference) return notLaunched('skipped', `its columns differ from those the template was trained on: it ${difference}. Choose a new template.`);
  let params: Record<string, unknown>;
  try {
    params = resolveParams(policy.algorithm, policy.params as Record<string, never>);
  } catch (error) {
    if (error instanceof MlError) return notLaunched('failed', `the template's parameters are no longer valid (${error.message}); choose a new template.`);
    throw error;
  }

  const backend = ctx.adapters.training?.defaultBackend ?? 'local';
  const run = await createRunRow(tx, ctx, {
    datasetVersionId: version.id, algorithm: policy.algorithm, params, seed: policy.seed, name: `Retrain on ${label}`, tags: [RETRAIN_TAG],
    maxAttempts: 2, backend, createdById: policy.ownerId,
  });
  const trigger = await tx.retrainTrigger.create({ data: { datasetId: version.datasetId, datasetVersionId: version.id, status: 'training', runId: run.id, candidateFor }, select: { id: true } });
  const from = policy.sourceRun ? ` copied from run #${policy.sourceRun.number}` : '';
  await appendRunLog(tx, run.id, 'info', `Launched automatically: ${label} is a new version and ${version.dataset.name} retrains when one arrives (template ${policy.algorithm}${from}${owner ? `, turned on by ${owner.email}` : ''}). When it finishes it is registered for approval${candidateFor ? ` as a candidate for ${candidateFor}` : ''}.`);
  await recordAudit(tx, ctx, {
    action: 'dataset.retrain_launched', entityType: 'dataset_version', entityId: version.id,
    summary: `New version ${label} triggered a retrain: run #${run.number} (${policy.algorithm})`,
    after: { triggerId: trigger.id, runId: run.id, datasetVersionId: version.id, algorithm: policy.algorithm, params: params as Prisma.InputJsonObject, seed: policy.seed, sourceRunId: policy.sourceRunId, candidateFor },
  });
  return { triggerId: trigger.id, status: 'training', runId: run.id, message: null };
}

/**
 * Versions that became ready while their dataset retrains on new data but have no
 * trigger yet (the import finished in the CLI, or a worker stopped in between).
 * Called every minute by the worker.
 */
export async function triggerPendingRetrains(ctx: ServiceContext) {
  const pending = await ctx.db.$queryRaw<{ id: string }[]>`
    select v.id from "DatasetVersion" v
      join "Dataset" d on d.id = v."datasetId" and d."retrainOnNewVersion"
      join "RetrainPolicy" p on p."datasetId" = d.id
      left join "RetrainTrigger" t on t."datasetVersionId" = v.id
    where v.status = 'ready' and v."deletedAt" is null and t.id is null and p."enabledAt" is not null and v."completedAt" >= p."enabledAt"
    order by v."completedAt" limit 20`;
  const outcomes: TriggerOutcome[] = [];
  for (const { id } of pending) {
    const outcome = await triggerRetrain(ctx, id);
    if (outcome) outcomes.push(outcome);
  }
  return outcomes;
}
