import 'server-only';
import { resolveParams } from '@/ml/estimators';
import { MlError } from '@/ml/core/errors';
import type { Prisma } from '@/server/db/client';
import { AppError, notFound, parseInput } from '@/server/errors';
import { recordAudit } from '../audit/record-audit';
import { actorUserId, assertCan, nowOf, type DbTx, type ServiceContext } from '../context';
import { schemaColumnsOf, schemaDifference } from './data-schema';
import { readRetrainSetting } from './read-retrain-setting';
import { retrainSettingInput } from './schemas';

type Field = 'fromRun' | 'fromDeployment' | 'candidateFor' | 'enabled';

function invalid(field: Field, message: string, short = message): AppError {
  return new AppError('VALIDATION', `${field}: ${message}`, { fields: [{ field, message: short }] });
}

type Template = { algorithm: string; params: Record<string, unknown>; seed: number; sourceRunId: string; runNumber: number; schemaColumns: string[] };

/** Copy algorithm, parameters and seed from a succeeded run whose data has this dataset's columns. */
async function templateFromRun(tx: DbTx, ref: string, field: Field, targetSchema: string[], via?: string): Promise<Template> {
  const run = await tx.run.findFirst({
    where: /^#?\d+$/.test(ref) ? { number: Number(ref.replace('#', '')) } : { id: ref },
    select: { id: true, number: true, status: true, algorithm: true, params: true, seed: true, datasetVersion: { select: { version: true, profile: true, dataset: { select: { name: true } } } } },
  });
  if (!run) throw invalid(field, `no run "${ref}": give a run id or number.`, 'no such run');
  const what = via ? `the model serving ${via} (run #${run.number})` : `run #${run.number}`;
  if (run.status !== 'succeeded') throw invalid(field, `${what} is ${run.status}; only a succeeded run can be the template.`, `run is ${run.status}`);
  let params: Record<string, unknown>;
  try {
    params = resolveParams(run.algorithm, run.params as Record<string, never>);
  } catch (error) {
    if (error instanceof MlError) throw invalid(field, `the parameters of ${what} are no longer valid (${error.message}); choose a newer run.`, 'parameters no longer valid');
    throw error;
  }
  const schemaColumns = schemaColumnsOf(run.datasetVersion.profile);
  const difference = schemaDifference(schemaColumns, targetSchema);
  if (difference) {
    const data = `${run.datasetVersion.dataset.name}${run.datasetVersion.version ? ` v${run.datasetVersion.version}` : ''}`;
    throw invalid(field, `${what} was trained on ${data}, whose columns are not this dataset's: this dataset ${difference}. Choose a run trained on data with the same columns.`, 'incompatible data schema');
  }
  return { algorithm: run.algorithm, params, seed: run.seed, sourceRunId: run.id, runNumber: run.number, schemaColumns };
}

async function deploymentByName(tx: DbTx, name: string, field: Field) {
  const deployment = await tx.deployment.findUnique({ where: { name }, select: { id: true, name: true, currentModelVersion: { select: { runId: true, version: true } } } });
  if (!deployment) throw invalid(field, `no deployment "${name}".`, 'no such deployment');
  return deployment;
}

/**
 * Turn "retrain when a new version arrives" on or off for a dataset, or change
 * its template. The template is copied now (not looked up at trigger time), so
 * what a retrain trains is exactly what the audit log says was chosen. Whoever
 * turns it on becomes its owner: retrain runs count as theirs for four-eyes.
 */
export async function updateRetrainSetting(ctx: ServiceContext, datasetName: string, input: unknown) {
  assertCan(ctx, 'datasets:write');
  const data = parseInput(retrainSettingInput, input);
  if (data.enabled) {
    // It launches runs and registers models in the owner's name.
    assertCan(ctx, 'runs:write');
    assertCan(ctx, 'models:register');
  } else {
    const extra = (['fromRun', 'fromDeployment', 'candidateFor'] as const).find((f) => data[f] !== undefined);
    if (extra) throw invalid(extra, 'only with enabled: true (turning it off keeps the template).', 'only with enabled: true');
  }
  if (data.fromRun && data.fromDeployment) throw invalid('fromDeployment', 'give fromRun or fromDeployment, not both.', 'give fromRun or fromDeployment, not both');

  const datasetId = await ctx.db.$transaction(async (tx) => {
    const dataset = await tx.dataset.findUnique({ where: { name: datasetName }, select: { id: true, name: true, retrainOnNewVersion: true, retrainPolicy: true } });
    if (!dataset) throw notFound(`Dataset "${datasetName}"`);
    // Serialise with version numbering (markReady locks the same row): a version is ready either before or after this change.
    await tx.$queryRaw`select id from "Dataset" where id = ${dataset.id} for update`;
    const policy = dataset.retrainPolicy;
    const latest = await tx.datasetVersion.findFirst({ where: { datasetId: dataset.id, status: 'ready', deletedAt: null }, orderBy: { version: 'desc' }, select: { profile: true } });
    const targetSchema = schemaColumnsOf(latest?.profile ?? null);

    let template: Template | null = null;
    let source: 'run' | 'deployment' = 'run';
    let candidateId: string | null | undefined = data.candidateFor === null ? null : undefined;
    if (data.fromRun) {
      template = await templateFromRun(tx, data.fromRun, 'fromRun', targetSchema);
    } else if (data.fromDeployment) {
      const deployment = await deploymentByName(tx, data.fromDeployment, 'fromDeployment');
      if (!deployment.currentModelVersion) throw invalid('fromDeployment', `${deployment.name} serves no model yet; choose a run instead.`, 'serves no model');
      template = await templateFromRun(tx, deployment.currentModelVersion.runId, 'fromDeployment', targetSchema, deployment.name);
      source = 'deployment';
      if (data.candidateFor === undefined) candidateId = deployment.id;
    } else if (data.enabled && !policy) {
      throw invalid('fromRun', 'choose the template: fromRun (a run id or number) or fromDeployment (the model it serves).', 'choose a run or a deployment as the template');
    }
    if (data.candidateFor) candidateId = (await deploymentByName(tx, data.candidateFor, 'candidateFor')).id;

    const now = nowOf(ctx);
    const turningOn = data.enabled && !dataset.retrainOnNewVersion;
    const owner = data.enabled && (turningOn || template) ? actorUserId(ctx.actor) : policy?.ownerId ?? null;
    const fields = {
      ...(template ? { algorithm: template.algorithm, params: template.params as Prisma.InputJsonValue, seed: template.seed, sourceRunId: template.sourceRunId, source, schemaColumns: template.schemaColumns } : {}),
      ...(candidateId !== undefined ? { candidateDeploymentId: candidateId } : {}),
      ownerId: owner,
      // Only versions ready from now on are retrained: turning it on never retrains old data.
      ...(turningOn ? { enabledAt: now } : {}),
    };
    if (policy) await tx.retrainPolicy.update({ where: { datasetId: dataset.id }, data: fields });
    else if (template) await tx.retrainPolicy.create({ data: { datasetId: dataset.id, algorithm: template.algorithm, params: template.params as Prisma.InputJsonValue, seed: template.seed, sourceRunId: template.sourceRunId, source, schemaColumns: template.schemaColumns, candidateDeploymentId: candidateId ?? null, ownerId: owner, enabledAt: data.enabled ? now : null } });
    await tx.dataset.update({ where: { id: dataset.id }, data: { retrainOnNewVersion: data.enabled } });

    const after = await readRetrainSetting(tx, dataset.id);
    const described = after.template ? `${after.template.algorithm} from ${after.template.source === 'deployment' ? `the model serving ${data.fromDeployment ?? 'a deployment'}, ` : ''}run #${after.template.sourceRun?.number ?? '?'}` : 'no template';
    const verb = !data.enabled ? (dataset.retrainOnNewVersion ? 'Turned off' : 'Left off') : turningOn ? 'Turned on' : 'Changed';
    await recordAudit(tx, ctx, {
      action: 'dataset.retrain_setting', entityType: 'dataset', entityId: dataset.id,
      summary: `${verb} retraining of ${dataset.name} when a new version arrives${data.enabled ? `: ${described}${after.candidateFor ? `, candidate for ${after.candidateFor}` : ''}` : ''}`,
      before: policy ? { enabled: dataset.retrainOnNewVersion, algorithm: policy.algorithm, params: policy.params as Record<string, unknown>, seed: policy.seed, sourceRunId: policy.sourceRunId, candidateDeploymentId: policy.candidateDeploymentId } : { enabled: dataset.retrainOnNewVersion },
      after: { enabled: after.enabled, algorithm: after.template?.algorithm ?? null, params: after.template?.params ?? null, seed: after.template?.seed ?? null, sourceRunId: after.template?.sourceRun?.id ?? null, candidateFor: after.candidateFor },
    });
    return dataset.id;
  });
  return readRetrainSetting(ctx.db, datasetId);
}
