import 'server-only';
import { allGatesPass, evaluateGates } from '@/lib/kpi-gates';
import { DEFAULT_MODEL_NAME } from '@/lib/models';
import type { Prisma } from '@/server/db/client';
import { AppError, notFound, parseInput } from '@/server/errors';
import { actorColumns, recordAudit } from '../audit/record-audit';
import { actorUserId, assertCan, type ServiceContext } from '../context';
import { readGateThresholds } from './kpi-gate-settings';
import { mirrorModelVersion } from './mirror-model';
import { registerModelInput } from './schemas';

/**
 * Register a finished run as the next version of the model. Records its lineage
 * (run, dataset version and hash, parameters, metrics, artifact and sha256, code
 * version, who registered it) and evaluates the KPI gates against the thresholds
 * in force now; the version starts PendingManualApproval.
 */
export async function registerModel(ctx: ServiceContext, input: unknown) {
  assertCan(ctx, 'models:register');
  const { runId, comment } = parseInput(registerModelInput, input);
  const created = await ctx.db.$transaction(async (tx) => {
    const run = await tx.run.findFirst({
      where: /^#?\d+$/.test(runId) ? { number: Number(runId.replace('#', '')) } : { id: runId },
      select: {
        id: true, number: true, status: true, algorithm: true, params: true, seed: true, metrics: true, artifactUri: true, artifactSha256: true, codeVersion: true,
        datasetVersion: { select: { id: true, version: true, contentHash: true, deletedAt: true, dataset: { select: { name: true } } } },
        modelVersion: { select: { modelName: true, version: true } },
      },
    });
    if (!run) throw notFound(`Run "${runId}"`);
    if (run.modelVersion) throw new AppError('CONFLICT', `Run #${run.number} is already registered as ${run.modelVersion.modelName} v${run.modelVersion.version}.`);
    if (run.status !== 'succeeded') throw new AppError('CONFLICT', `Run #${run.number} is ${run.status}; only a succeeded run can be registered.`);
    if (!run.artifactUri || !run.artifactSha256 || !run.metrics) throw new AppError('CONFLICT', `Run #${run.number} has no stored model or metrics; it cannot be registered.`);

    // One registration at a time per model name, so version numbers never collide.
    await tx.$executeRawUnsafe(`select pg_advisory_xact_lock(hashtext('model-register:' || $1))`, DEFAULT_MODEL_NAME);
    const last = await tx.modelVersion.aggregate({ where: { modelName: DEFAULT_MODEL_NAME }, _max: { version: true } });
    const version = (last._max.version ?? 0) + 1;
    const thresholds = await readGateThresholds(tx);
    const gateResults = evaluateGates(run.metrics as Record<string, unknown>, thresholds);
    const gatesPassed = allGatesPass(gateResults);
    const model = await tx.modelVersion.create({
      data: {
        modelName: DEFAULT_MODEL_NAME, version, runId: run.id, datasetVersionId: run.datasetVersion.id, datasetHash: run.datasetVersion.contentHash ?? '',
        algorithm: run.algorithm, params: { ...(run.params as Record<string, unknown>), seed: run.seed } as Prisma.InputJsonValue, metrics: run.metrics as Prisma.InputJsonValue,
        artifactUri: run.artifactUri, artifactSha256: run.artifactSha256, codeVersion: run.codeVersion,
        gateResults: gateResults as unknown as Prisma.InputJsonValue, gatesPassed, registeredById: actorUserId(ctx.actor),
      },
      select: { id: true, modelName: true, version: true, gatesPassed: true, status: true },
    });
    await tx.modelTransition.create({ data: { modelVersionId: model.id, fromStatus: null, toStatus: 'PendingManualApproval', actorId: actorUserId(ctx.actor), actorLabel: actorColumns(ctx).actorLabel, comment: comment ?? null } });
    const failed = gateResults.filter((g) => !g.passed).map((g) => g.label);
    await recordAudit(tx, ctx, {
      action: 'model.register', entityType: 'model_version', entityId: model.id,
      summary: `Registered run #${run.number} as ${model.modelName} v${version} (${gatesPassed ? 'all KPI gates passed' : `failed gates: ${failed.join(', ')}`})`,
      after: { runId: run.id, version, gatesPassed, dataset: `${run.datasetVersion.dataset.name} v${run.datasetVersion.version}`, artifactSha256: run.artifactSha256 },
    });
    return { ...model, runNumber: run.number, gateResults };
  });
  const mirror = await mirrorModelVersion(ctx, created.id);
  return { ...created, mirror };
}
