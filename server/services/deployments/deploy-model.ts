import 'server-only';
import { randomUUID } from 'node:crypto';
import type { DbTx } from '@/server/db/client';
import { AppError, notFound, parseInput } from '@/server/errors';
import { actorColumns, recordAudit } from '../audit/record-audit';
import { actorUserId, assertCan, nowOf, type ServiceContext } from '../context';
import { versionWhere } from '../models/decide-model';
import { publishManifest } from './publish-manifest';
import { deploymentName, deployModelInput, rollbackInput } from './schemas';

type Target = { id: string; modelName: string; version: number; status: string };

/** Point a deployment at a version: close the serving window of the old one, open the new one, publish the manifest. */
async function switchTo(tx: DbTx, ctx: ServiceContext, name: string, model: Target, action: 'deploy' | 'rollback', comment: string | undefined) {
  const label = `${model.modelName} v${model.version}`;
  if (model.status !== 'Approved') throw new AppError('CONFLICT', `${label} is ${model.status === 'Rejected' ? 'rejected' : 'not approved yet'}; only approved versions can be deployed.`);
  const now = nowOf(ctx);
  // Created on first use (ON CONFLICT: two first deploys at once must not collide), then
  // locked: two deploys to one deployment run one after the other.
  await tx.$executeRawUnsafe('insert into "Deployment" (id, name, "updatedAt") values ($1, $2, now()) on conflict (name) do nothing', randomUUID(), name);
  const [dep] = await tx.$queryRawUnsafe<{ id: string; currentModelVersionId: string | null }[]>('select id, "currentModelVersionId" from "Deployment" where name = $1 for update', name);
  if (!dep) throw notFound(`Deployment "${name}"`);
  if (dep.currentModelVersionId === model.id) throw new AppError('CONFLICT', `${label} already serves ${name}.`);
  const previous = dep.currentModelVersionId ? await tx.modelVersion.findUnique({ where: { id: dep.currentModelVersionId }, select: { version: true, modelName: true } }) : null;
  await tx.deploymentEvent.updateMany({ where: { deploymentId: dep.id, endedAt: null }, data: { endedAt: now } });
  await tx.deploymentEvent.create({
    data: { deploymentId: dep.id, modelVersionId: model.id, action, actorId: actorUserId(ctx.actor), actorLabel: actorColumns(ctx).actorLabel, comment: comment ?? null, previousModelVersionId: dep.currentModelVersionId, startedAt: now },
  });
  await tx.deployment.update({ where: { id: dep.id }, data: { currentModelVersionId: model.id, currentSince: now } });
  const manifest = await publishManifest(tx, ctx, dep.id);
  const from = previous ? ` (was ${previous.modelName} v${previous.version})` : '';
  await recordAudit(tx, ctx, {
    action: `deployment.${action}`, entityType: 'deployment', entityId: dep.id,
    summary: `${action === 'rollback' ? 'Rolled back' : 'Deployed'} ${name} to ${label}${from}${comment ? `: ${comment}` : ''}`,
    before: { modelVersionId: dep.currentModelVersionId }, after: { modelVersionId: model.id, revision: manifest.revision },
  });
  return { deployment: name, modelVersionId: model.id, model: label, previous: previous ? `${previous.modelName} v${previous.version}` : null, revision: manifest.revision, action };
}

/** Deploy an approved version to a named deployment (created on first use). */
export async function deployModel(ctx: ServiceContext, input: unknown) {
  assertCan(ctx, 'deployments:write');
  const data = parseInput(deployModelInput, input);
  return ctx.db.$transaction(async (tx) => {
    const model = await tx.modelVersion.findFirst({ where: versionWhere(data.model), select: { id: true, modelName: true, version: true, status: true } });
    if (!model) throw notFound(`Model version "${data.model}"`);
    return switchTo(tx, ctx, data.deployment, model, 'deploy', data.comment);
  });
}

/**
 * Go back to an earlier version of a deployment: by default the one that served
 * just before the current one, or any version that served it before. It must
 * still be approved.
 */
export async function rollbackDeployment(ctx: ServiceContext, name: string, input: unknown = {}) {
  assertCan(ctx, 'deployments:write');
  const deployment = parseInput(deploymentName, name);
  const data = parseInput(rollbackInput, input);
  return ctx.db.$transaction(async (tx) => {
    const dep = await tx.deployment.findUnique({ where: { name: deployment }, select: { id: true, currentModelVersionId: true } });
    if (!dep) throw notFound(`Deployment "${deployment}"`);
    let targetId: string | null;
    if (data.to) {
      const wanted = await tx.modelVersion.findFirst({ where: versionWhere(data.to), select: { id: true, modelName: true, version: true } });
      if (!wanted) throw notFound(`Model version "${data.to}"`);
      const served = await tx.deploymentEvent.count({ where: { deploymentId: dep.id, modelVersionId: wanted.id } });
      if (!served) throw new AppError('CONFLICT', `${wanted.modelName} v${wanted.version} never served ${deployment}; deploy it instead of rolling back to it.`);
      targetId = wanted.id;
    } else {
      const current = await tx.deploymentEvent.findFirst({ where: { deploymentId: dep.id, endedAt: null }, orderBy: { startedAt: 'desc' }, select: { previousModelVersionId: true } });
      targetId = current?.previousModelVersionId ?? null;
      if (!targetId) throw new AppError('CONFLICT', `${deployment} has no earlier version to roll back to.`);
    }
    const model = await tx.modelVersion.findUniqueOrThrow({ where: { id: targetId }, select: { id: true, modelName: true, version: true, status: true } });
    return switchTo(tx, ctx, deployment, model, 'rollback', data.comment);
  });
}
