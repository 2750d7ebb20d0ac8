import 'server-only';
import type { GateResult } from '@/lib/kpi-gates';
import type { RetrainSettingView, RetrainStatusName, RetrainTriggerView } from '@/lib/retrain';
import type { Prisma } from '@/server/db/client';
import { notFound } from '@/server/errors';
import { assertCan, type DbTx, type ServiceContext } from '../context';

const RECENT = 5;

export const TRIGGER_SELECT = {
  id: true, status: true, message: true, createdAt: true, finishedAt: true, candidateFor: true,
  datasetVersion: { select: { id: true, version: true } },
  run: { select: { id: true, number: true, status: true, error: true } },
  modelVersion: { select: { id: true, modelName: true, version: true, status: true, gatesPassed: true, gateResults: true } },
} as const satisfies Prisma.RetrainTriggerSelect;

type TriggerRow = Prisma.RetrainTriggerGetPayload<{ select: typeof TRIGGER_SELECT }>;

export function presentTrigger(t: TriggerRow): RetrainTriggerView {
  const model = t.modelVersion;
  return {
    id: t.id,
    status: t.status as RetrainStatusName,
    message: t.message,
    createdAt: t.createdAt.toISOString(),
    finishedAt: t.finishedAt?.toISOString() ?? null,
    datasetVersion: { id: t.datasetVersion.id, version: t.datasetVersion.version },
    candidateFor: t.candidateFor,
    run: t.run ? { id: t.run.id, number: t.run.number, status: t.run.status, error: t.run.error } : null,
    model: model
      ? { id: model.id, name: model.modelName, version: model.version, status: model.status, gatesPassed: model.gatesPassed, failedGates: (model.gateResults as unknown as GateResult[]).filter((g) => !g.passed).map((g) => g.label) }
      : null,
  };
}

/** The setting as every surface shows it (REST, CLI, dataset page). */
export async function readRetrainSetting(db: DbTx, datasetId: string): Promise<RetrainSettingView> {
  const dataset = await db.dataset.findUniqueOrThrow({
    where: { id: datasetId },
    select: {
      name: true, retrainOnNewVersion: true,
      retrainPolicy: {
        select: {
          algorithm: true, params: true, seed: true, source: true, enabledAt: true, updatedAt: true,
          sourceRun: { select: { id: true, number: true, name: true, datasetVersion: { select: { version: true, dataset: { select: { name: true } } } } } },
          candidateDeployment: { select: { name: true } },
          owner: { select: { email: true } },
        },
      },
    },
  });
  const triggers = await db.retrainTrigger.findMany({ where: { datasetId }, orderBy: { createdAt: 'desc' }, take: RECENT, select: TRIGGER_SELECT });
  const policy = dataset.retrainPolicy;
  const run = policy?.sourceRun;
  const recent = triggers.map(presentTrigger);
  return {
    dataset: dataset.name,
    enabled: dataset.retrainOnNewVersion && !!policy,
    template: policy
      ? {
          algorithm: policy.algorithm,
          params: policy.params as Record<string, unknown>,
          seed: policy.seed,
          source: policy.source === 'deployment' ? 'deployment' : 'run',
          sourceRun: run ? { id: run.id, number: run.number, name: run.name, dataset: `${run.datasetVersion.dataset.name}${run.datasetVersion.version ? ` v${run.datasetVersion.version}` : ''}` } : null,
        }
      : null,
    candidateFor: policy?.candidateDeployment?.name ?? null,
    owner: policy?.owner?.email ?? null,
    enabledAt: policy?.enabledAt?.toISOString() ?? null,
    updatedAt: policy?.updatedAt.toISOString() ?? null,
    lastTrigger: recent[0] ?? null,
    recent,
  };
}

export async function getRetrainSetting(ctx: ServiceContext, datasetName: string) {
  assertCan(ctx, 'read');
  const dataset = await ctx.db.dataset.findFirst({ where: { OR: [{ name: datasetName }, { id: datasetName }] }, select: { id: true } });
  if (!dataset) throw notFound(`Dataset "${datasetName}"`);
  return readRetrainSetting(ctx.db, dataset.id);
}

/** What the dataset page offers as a template: recent succeeded runs, and deployments that serve a model. */
export async function listRetrainTemplateChoices(ctx: ServiceContext) {
  assertCan(ctx, 'read');
  const [runs, deployments] = await Promise.all([
    ctx.db.run.findMany({
      where: { status: 'succeeded' },
      orderBy: { createdAt: 'desc' },
      take: 50,
      select: { id: true, number: true, name: true, algorithm: true, macroF1: true, datasetVersion: { select: { version: true, dataset: { select: { name: true } } } } },
    }),
    ctx.db.deployment.findMany({ orderBy: { name: 'asc' }, select: { name: true, currentModelVersion: { select: { modelName: true, version: true, run: { select: { number: true } } } } } }),
  ]);
  return {
    runs: runs.map((r) => ({ id: r.id, number: r.number, name: r.name, algorithm: r.algorithm, macroF1: r.macroF1, dataset: `${r.datasetVersion.dataset.name}${r.datasetVersion.version ? ` v${r.datasetVersion.version}` : ''}` })),
    deployments: deployments.map((d) => ({ name: d.name, model: d.currentModelVersion ? { name: d.currentModelVersion.modelName, version: d.currentModelVersion.version, runNumber: d.currentModelVersion.run.number } : null })),
  };
}
