import 'server-only';
import type { GateResult } from '@/lib/kpi-gates';
import { AppError } from '@/server/errors';
import { logger } from '@/server/logger';
import { recordAudit } from '../audit/record-audit';
import { nowOf, type ServiceContext } from '../context';
import { registerModel } from '../models/register-model';
import { appendRunLog } from '../runs/run-log';

/** A claim older than this was left by a worker that died; another takes it over. */
const CLAIM_STALE_MS = 5 * 60_000;

export type FinishOutcome = 'registered' | 'run_failed' | 'failed';

/**
 * The second half of a retrain, once its run has finished (the worker calls it
 * after every run and the minute job calls it for any it missed): a succeeded run
 * is registered — KPI gates evaluated as for any registration, the version
 * PendingManualApproval, never approved here (four-eyes stays with people); a
 * version that fails gates is registered too, so the registry shows the failure.
 * A failed or cancelled run is recorded as such. Idempotent: one caller claims
 * the finish, and a run can only ever be registered once.
 */
export async function finishRetrain(ctx: ServiceContext, triggerId: string): Promise<FinishOutcome | null> {
  const trigger = await ctx.db.retrainTrigger.findUnique({
    where: { id: triggerId },
    select: {
      id: true, status: true, candidateFor: true,
      datasetVersion: { select: { id: true, version: true, dataset: { select: { name: true } } } },
      run: { select: { id: true, number: true, status: true, error: true, modelVersion: { select: { id: true } } } },
    },
  });
  const run = trigger?.run;
  if (!trigger || !run || run.status === 'queued' || run.status === 'running') return null;
  // A run that failed and was retried by hand to success is still registered.
  if (!(trigger.status === 'training' || (trigger.status === 'run_failed' && run.status === 'succeeded'))) return null;
  const now = nowOf(ctx);
  const claimed = await ctx.db.retrainTrigger.updateMany({
    where: { id: trigger.id, status: trigger.status, OR: [{ claimedAt: null }, { claimedAt: { lt: new Date(now.getTime() - CLAIM_STALE_MS) } }] },
    data: { claimedAt: now },
  });
  if (!claimed.count) return null;

  const label = `${trigger.datasetVersion.dataset.name} v${trigger.datasetVersion.version}`;
  const entity = { entityType: 'dataset_version', entityId: trigger.datasetVersion.id } as const;
  const fail = async (status: 'run_failed' | 'failed', message: string) => {
    await ctx.db.$transaction(async (tx) => {
      await tx.retrainTrigger.update({ where: { id: trigger.id }, data: { status, message, finishedAt: nowOf(ctx), claimedAt: null } });
      await recordAudit(tx, ctx, { action: 'dataset.retrain_failed', ...entity, summary: `Retrain of ${label} (run #${run.number}): ${message}`, after: { triggerId: trigger.id, runId: run.id, status } });
    });
    return status;
  };

  if (run.status !== 'succeeded') return fail('run_failed', `the run ${run.status}${run.error ? `: ${run.error}` : ''}`.slice(0, 2000));

  let modelId = run.modelVersion?.id ?? null;
  let byHand = !!modelId;
  if (!modelId) {
    try {
      const comment = `Registered automatically: retrain triggered by the new dataset version ${label}${trigger.candidateFor ? `, a candidate for ${trigger.candidateFor}` : ''}. Approval stays manual.`;
      modelId = (await registerModel(ctx, { runId: run.id, comment })).id;
    } catch (error) {
      // Someone registered the run by hand in the meantime: that version is the retrain's.
      const current = await ctx.db.run.findUnique({ where: { id: run.id }, select: { modelVersion: { select: { id: true } } } });
      modelId = current?.modelVersion?.id ?? null;
      byHand = true;
      if (!modelId) {
        logger.warn({ err: (error as Error).message, triggerId }, 'retrain registration failed');
        return fail('failed', `registration failed: ${error instanceof AppError ? error.message : 'unexpected error (see the worker log)'}`);
      }
    }
  }
  const model = await ctx.db.modelVersion.findUniqueOrThrow({ where: { id: modelId }, select: { id: true, modelName: true, version: true, gatesPassed: true, gateResults: true } });
  const failedGates = (model.gateResults as unknown as GateResult[]).filter((g) => !g.passed).map((g) => g.label);
  const verdict = model.gatesPassed ? 'all KPI gates passed' : `failed KPI gates: ${failedGates.join(', ')}`;
  await ctx.db.$transaction(async (tx) => {
    await tx.retrainTrigger.update({ where: { id: trigger.id }, data: { status: 'registered', modelVersionId: model.id, gatesPassed: model.gatesPassed, message: model.gatesPassed ? null : verdict, finishedAt: nowOf(ctx), claimedAt: null } });
    await appendRunLog(tx, run.id, model.gatesPassed ? 'info' : 'warn', `${byHand ? 'Already registered' : 'Registered automatically'} as ${model.modelName} v${model.version} (${verdict})${byHand ? '' : '; it waits for an approver'}.`);
    await recordAudit(tx, ctx, {
      action: 'dataset.retrain_registered', ...entity,
      summary: `Retrain of ${label} (run #${run.number}) registered as ${model.modelName} v${model.version}, pending manual approval (${verdict})`,
      after: { triggerId: trigger.id, runId: run.id, modelVersionId: model.id, gatesPassed: model.gatesPassed, failedGates, candidateFor: trigger.candidateFor },
    });
  });
  return 'registered';
}

/** After a run job: finish the retrain it belongs to, if any. */
export async function finishRetrainOfRun(ctx: ServiceContext, runId: string) {
  const trigger = await ctx.db.retrainTrigger.findUnique({ where: { runId }, select: { id: true } });
  return trigger ? finishRetrain(ctx, trigger.id) : null;
}

/** Retrains whose run has finished but which are not finished themselves (the minute job). */
export async function finishPendingRetrains(ctx: ServiceContext) {
  const pending = await ctx.db.retrainTrigger.findMany({
    where: {
      OR: [
        { status: 'training', run: { status: { in: ['succeeded', 'failed', 'cancelled'] } } },
        { status: 'run_failed', modelVersionId: null, run: { status: 'succeeded' } },
      ],
    },
    orderBy: { createdAt: 'asc' },
    take: 20,
    select: { id: true },
  });
  const outcomes: { triggerId: string; outcome: FinishOutcome }[] = [];
  for (const { id } of pending) {
    const outcome = await finishRetrain(ctx, id);
    if (outcome) outcomes.push({ triggerId: id, outcome });
  }
  return outcomes;
}
