import 'server-only';
import { instanceStatusPrefix, instanceStatusSchema, type InstanceStatus } from '@/inference/src/contract';
import { logger } from '@/server/logger';
import { notFound, parseInput } from '@/server/errors';
import { assertCan, nowOf, type ServiceContext } from '../context';
import { deploymentName } from './schemas';

/** An instance that has not reported for this long is shown as gone (it heartbeats every 30 s). */
export const INSTANCE_STALE_MS = 90_000;

export type ServingInstance = InstanceStatus & { stale: boolean };

/** What the inference instances of a deployment say about themselves (status files in storage). */
export async function readInstances(ctx: Pick<ServiceContext, 'adapters' | 'now'>, name: string): Promise<ServingInstance[]> {
  const storage = ctx.adapters.storage;
  const now = nowOf(ctx).getTime();
  const out: ServingInstance[] = [];
  for (const object of await storage.list(instanceStatusPrefix(name)).catch(() => [])) {
    try {
      const status = instanceStatusSchema.parse(JSON.parse((await storage.getBuffer(object.key)).toString('utf8')));
      out.push({ ...status, stale: now - Date.parse(status.reportedAt) > INSTANCE_STALE_MS });
    } catch (error) {
      logger.warn({ key: object.key, err: (error as Error).message }, 'ignoring an unreadable inference status file');
    }
  }
  return out.sort((a, b) => Number(a.stale) - Number(b.stale) || b.reportedAt.localeCompare(a.reportedAt));
}

const MODEL = { select: { id: true, modelName: true, version: true, algorithm: true, status: true, metrics: true, artifactSha256: true } } as const;

export async function listDeployments(ctx: ServiceContext) {
  assertCan(ctx, 'read');
  const rows = await ctx.db.deployment.findMany({
    orderBy: { name: 'asc' },
    select: {
      id: true, name: true, revision: true, currentSince: true, manifestUri: true, servingStatus: true, servingError: true, servingReportedAt: true,
      currentModelVersion: MODEL,
      events: { orderBy: { startedAt: 'desc' }, take: 1, select: { action: true, actorLabel: true, comment: true, startedAt: true } },
    },
  });
  // Production first: it is what most people come to check.
  rows.sort((a, b) => Number(b.name === 'production') - Number(a.name === 'production'));
  return Promise.all(rows.map(async ({ events, currentModelVersion, ...d }) => ({
    ...d,
    current: currentModelVersion ? { ...currentModelVersion, accuracy: (currentModelVersion.metrics as { accuracy?: number })?.accuracy ?? null } : null,
    lastChange: events[0] ?? null,
    instances: await readInstances(ctx, d.name),
  })));
}

export type DeploymentSummary = Awaited<ReturnType<typeof listDeployments>>[number];

/** One deployment with its full history: which version served it when, who changed it and why. */
export async function getDeployment(ctx: ServiceContext, name: string) {
  assertCan(ctx, 'read');
  const parsed = parseInput(deploymentName, name);
  const dep = await ctx.db.deployment.findUnique({
    where: { name: parsed },
    select: {
      id: true, name: true, revision: true, currentSince: true, manifestUri: true, servingStatus: true, servingError: true, servingReportedAt: true,
      currentModelVersion: MODEL,
      events: { orderBy: { startedAt: 'desc' }, select: { id: true, action: true, actorLabel: true, comment: true, startedAt: true, endedAt: true, previousModelVersionId: true, modelVersion: { select: { id: true, modelName: true, version: true, status: true } } } },
    },
  });
  if (!dep) throw notFound(`Deployment "${parsed}"`);
  return { ...dep, instances: await readInstances(ctx, dep.name) };
}

export type DeploymentDetail = Awaited<ReturnType<typeof getDeployment>>;
