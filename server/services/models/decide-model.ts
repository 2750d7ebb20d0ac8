import 'server-only';
import { AppError, notFound, parseInput } from '@/server/errors';
import { actorColumns, recordAudit } from '../audit/record-audit';
import { actorUserId, assertCan, type ServiceContext } from '../context';
import { mirrorModelVersion } from './mirror-model';
import { decideModelInput } from './schemas';

/**
 * Approve or reject a pending version (approvers and admins). Four-eyes: nobody
 * decides on a model they trained. A version failing a KPI gate can only be
 * approved with a written override reason, kept on the timeline and in the audit log.
 */
export async function decideModel(ctx: ServiceContext, modelVersionId: string, input: unknown) {
  assertCan(ctx, 'models:approve');
  const { decision, comment, overrideReason } = parseInput(decideModelInput, input);
  const toStatus = decision === 'approve' ? ('Approved' as const) : ('Rejected' as const);
  const result = await ctx.db.$transaction(async (tx) => {
    const model = await tx.modelVersion.findFirst({
      where: versionWhere(modelVersionId),
      select: { id: true, modelName: true, version: true, status: true, gatesPassed: true, gateResults: true, run: { select: { number: true, createdById: true, createdBy: { select: { email: true } } } } },
    });
    if (!model) throw notFound(`Model version "${modelVersionId}"`);
    const name = `${model.modelName} v${model.version}`;
    if (model.status !== 'PendingManualApproval') throw new AppError('CONFLICT', `${name} is already ${model.status === 'Approved' ? 'approved' : 'rejected'}; only a pending version can be decided.`);
    const me = actorUserId(ctx.actor);
    if (me && model.run.createdById === me) {
      throw new AppError('FORBIDDEN', `You trained ${name} (run #${model.run.number}); another approver must ${decision} it (four-eyes rule).`);
    }
    const override = toStatus === 'Approved' && !model.gatesPassed;
    if (override && !overrideReason) {
      const failed = (model.gateResults as { label: string; passed: boolean }[]).filter((g) => !g.passed).map((g) => g.label);
      throw new AppError('VALIDATION', `${name} fails KPI gates (${failed.join(', ')}); approving it needs an override reason.`, { fields: [{ field: 'overrideReason', message: 'is required to approve a model that fails a KPI gate' }] });
    }
    // Conditional update: of two approvers deciding at once, exactly one wins.
    const changed = await tx.modelVersion.updateMany({ where: { id: model.id, status: 'PendingManualApproval' }, data: { status: toStatus, overrideReason: override ? overrideReason! : null } });
    if (!changed.count) throw new AppError('CONFLICT', `${name} was just decided by someone else; reload to see the decision.`);
    await tx.modelTransition.create({
      data: { modelVersionId: model.id, fromStatus: model.status, toStatus, actorId: me, actorLabel: actorColumns(ctx).actorLabel, comment: override ? `${comment}\nOverride: ${overrideReason}` : comment, isOverride: override },
    });
    await recordAudit(tx, ctx, {
      action: decision === 'approve' ? (override ? 'model.approve_override' : 'model.approve') : 'model.reject',
      entityType: 'model_version', entityId: model.id,
      summary: `${decision === 'approve' ? 'Approved' : 'Rejected'} ${name}${override ? ' overriding failed KPI gates' : ''}: ${comment}`,
      before: { status: model.status }, after: { status: toStatus, comment, ...(override ? { overrideReason } : {}) },
    });
    return { id: model.id, modelName: model.modelName, version: model.version, status: toStatus, override };
  });
  const mirror = await mirrorModelVersion(ctx, result.id);
  return { ...result, mirror };
}

/** A version by id, "v3", "3" or "price-sensitivity:3". */
export function versionWhere(ref: string) {
  const m = /^(?:([a-z0-9-]+):)?v?(\d+)$/i.exec(ref.trim());
  if (m) return { modelName: m[1] ?? 'price-sensitivity', version: Number(m[2]) };
  return { id: ref };
}
