import 'server-only';
import { COST_TAG } from '@/lib/infra-config';
import { Model } from '@/ml/model';
import { createStorage } from '@/server/adapters/storage';
import type { StoragePort } from '@/server/adapters/storage/port';
import { readModelArchive } from '@/server/adapters/training/model-archive';
import { createSageMakerBackend } from '@/server/adapters/training/sagemaker';
import { TrainingBackendError, TrainingJobNotFoundError, type TrainingBackendPort, type TrainingJobDescription } from '@/server/adapters/training/port';
import { encodeHyperparameters } from '@/server/adapters/training/trainer-contract';
import { trainingCostUsd } from '@/server/costs/prices';
import type { Db, Prisma } from '@/server/db/client';
import { parseEnv, sagemakerSettings } from '@/server/env';
import { logger } from '@/server/logger';
import { storageKeys } from '@/server/services/datasets/schemas';
import type { RunMetrics } from '@/server/services/runs/read-runs';
import { appendRunLog, type RunLogLevel } from '@/server/services/runs/run-log';

/**
 * A claimed run whose backend is SageMaker: submit it as a training job running
 * the trainer image, follow it (status, stage, logs) until it ends, honour cancel
 * requests, and record the result: metrics from the model archive's metrics.json,
 * the model copied next to local runs' models, cost from billable seconds.
 */
export type SageMakerRunDeps = {
  remote: TrainingBackendPort;
  storage: StoragePort;
  instanceType: string;
  maxRuntimeSeconds: number;
  /** How often the job is described (tests shorten it). */
  pollMs?: number;
};

type Outcome = 'succeeded' | 'failed' | 'cancelled' | 'skipped';

const DEFAULT_POLL_MS = 15_000;
/** Describe may fail this many times in a row (network blips) before the run fails. */
const MAX_DESCRIBE_FAILURES = 5;
const PROGRESS: Record<string, number> = { Starting: 0.05, Pending: 0.05, LaunchingMLInstances: 0.05, PreparingTrainingStack: 0.08, Downloading: 0.1, DownloadingTrainingImage: 0.12, Training: 0.3, Uploading: 0.9 };

let fromEnv: SageMakerRunDeps | null | undefined;

/** The worker's SageMaker settings, from its validated environment, when the caller passed none. */
function configuredDeps(): SageMakerRunDeps | null {
  if (fromEnv !== undefined) return fromEnv;
  const env = parseEnv(process.env);
  const settings = sagemakerSettings(env);
  fromEnv = settings ? { remote: createSageMakerBackend(settings), storage: createStorage(env), instanceType: settings.instanceType, maxRuntimeSeconds: settings.maxRuntimeSeconds } : null;
  return fromEnv;
}

/** ≤ 63 characters of [a-zA-Z0-9-], unique per attempt (SageMaker never reuses a job name). */
export function sageMakerJobName(run: { id: string; number: number; attempts: number }): string {
  const shortId = run.id.replace(/[^a-zA-Z0-9]/g, '').slice(-8);
  return `pricesense-run-${run.number}-${shortId}-a${run.attempts}`.slice(0, 63);
}

export async function executeOnSageMaker(deps: { db: Db; sagemaker?: SageMakerRunDeps }, runId: string): Promise<Outcome> {
  const { db } = deps;
  const log = (level: RunLogLevel, message: string) => appendRunLog(db, runId, level, message);
  const update = (data: Prisma.RunUpdateManyMutationInput) => db.run.updateMany({ where: { id: runId, status: 'running' }, data });
  const finish = async (status: 'failed' | 'cancelled', message: string, level: RunLogLevel = status === 'failed' ? 'error' : 'warn'): Promise<Outcome> => {
    const now = new Date();
    const row = await db.run.findUnique({ where: { id: runId }, select: { startedAt: true } });
    await update({ status, stage: status, etaSeconds: null, finishedAt: now, durationMs: row?.startedAt ? now.getTime() - row.startedAt.getTime() : null, ...(status === 'failed' ? { error: message } : {}) });
    await log(level, message);
    logger.warn({ runId, status, message }, 'sagemaker run ended');
    return status;
  };

  const sm = deps.sagemaker ?? configuredDeps();
  if (!sm) return finish('failed', 'This worker has no SageMaker configuration (SAGEMAKER_ROLE_ARN, TRAINER_IMAGE_URI and STORAGE_BACKEND=s3 are required); the run cannot train on SageMaker.');
  if (sm.storage.kind !== 's3') return finish('failed', `SageMaker reads datasets from S3, but this platform stores them in ${sm.storage.root}; set STORAGE_BACKEND=s3.`);
  const run = await db.run.findUniqueOrThrow({
    where: { id: runId },
    select: { id: true, number: true, attempts: true, algorithm: true, params: true, seed: true, externalJobName: true, datasetVersion: { select: { id: true, datasetId: true, status: true, deletedAt: true, contentHash: true, version: true } } },
  });
  const version = run.datasetVersion;
  if (version.deletedAt || version.status !== 'ready') return finish('failed', `Dataset version v${version.version ?? '?'} is ${version.deletedAt ? 'deleted' : version.status}; a run can only train on a ready version.`);

  // A previous attempt's job that is still going (or done) is followed, not started twice.
  let jobName: string | null = null;
  if (run.externalJobName) {
    const previous = await sm.remote.describe(run.externalJobName).catch(() => null);
    if (previous && previous.status !== 'Failed' && previous.status !== 'Stopped') {
      jobName = previous.jobName;
      await log('info', `Following training job ${jobName} started by an earlier attempt (${previous.status}).`);
    }
  }
  if (!jobName) {
    const name = sageMakerJobName(run);
    const rowsPrefix = `${storageKeys.curated(version.datasetId, version.id)}rows`;
    const spec = {
      jobName: name, runId, instanceType: sm.instanceType, maxRuntimeSeconds: sm.maxRuntimeSeconds, tags: { [COST_TAG.key]: COST_TAG.value, RunNumber: String(run.number) },
      trainDataUri: `${sm.storage.uri(rowsPrefix)}/`, outputUri: `${sm.storage.uri(`runs/${runId}/sagemaker`)}/`,
      hyperparameters: encodeHyperparameters({ algorithm: run.algorithm, params: run.params as Record<string, unknown>, seed: run.seed, runId, datasetVersionId: version.id, dataHash: version.contentHash ?? undefined }),
    };
    try {
      jobName = (await sm.remote.submit(spec)).jobName;
    } catch (error) {
      return finish('failed', error instanceof TrainingBackendError ? error.message : `Could not start the SageMaker job: ${(error as Error).message}`);
    }
    await update({ externalJobName: jobName, instanceType: sm.instanceType, stage: 'submitted', progress: 0.02 });
    await log('info', `Submitted SageMaker training job ${jobName} on ${sm.remote.where} (${sm.instanceType}, at most ${sm.maxRuntimeSeconds} s); data ${spec.trainDataUri}, output ${spec.outputUri}.`);
  }

  const pollMs = sm.pollMs ?? DEFAULT_POLL_MS;
  let stopAsked = false;
  let lastStage = '';
  let failures = 0;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    const row = await db.run.findUnique({ where: { id: runId }, select: { status: true, cancelRequestedAt: true } });
    // Handed back to the queue by a stopping worker (the next attempt follows the same job), or ended elsewhere.
    if (row?.status !== 'running') return 'skipped';
    if (row.cancelRequestedAt && !stopAsked) {
      stopAsked = true;
      const stop = await sm.remote.stop(jobName);
      if (!stop.stopped) {
        return finish('cancelled', `Cancelled here, but the remote job was not stopped: ${stop.message} It may still run to the end and be billed; stop it in the SageMaker console if it is still running.`);
      }
      await log('warn', stop.message);
    }
    let job: TrainingJobDescription;
    try {
      job = await sm.remote.describe(jobName);
      failures = 0;
    } catch (error) {
      if (error instanceof TrainingJobNotFoundError) return finish('failed', `SageMaker no longer knows training job ${jobName}.`);
      if (++failures < MAX_DESCRIBE_FAILURES) continue;
      return finish('failed', `Lost contact with SageMaker while following training job ${jobName} (${MAX_DESCRIBE_FAILURES} failed checks in a row): ${(error as Error).message} The job may still be running and billing.`);
    }
    const stage = job.secondaryStatus ?? job.status;
    if (stage !== lastStage) {
      lastStage = stage;
      await update({ stage: `sagemaker: ${stage}`, ...(PROGRESS[stage] !== undefined ? { progress: PROGRESS[stage] } : {}) });
      await log('info', `SageMaker job ${jobName}: ${job.status}${job.secondaryStatus && job.secondaryStatus !== job.status ? ` (${job.secondaryStatus})` : ''}.`);
    }
    if (job.status === 'Completed') return recordCompleted(db, sm.storage, runId, job, stopAsked);
    if (job.status === 'Failed') return finish('failed', `SageMaker training job ${jobName} failed: ${job.failureReason ?? 'no reason given'}.`);
    if (job.status === 'Stopped') {
      if (stopAsked) return finish('cancelled', `Cancelled: SageMaker stopped training job ${jobName}.`);
      return finish('failed', `SageMaker stopped training job ${jobName}${job.secondaryStatus === 'MaxRuntimeExceeded' ? ' after its maximum runtime' : ' (not at this platform\'s request)'}.`);
    }
  }
}

/** Metrics, model and cost of a completed job; what cannot be read is said in the log. */
async function recordCompleted(db: Db, storage: StoragePort, runId: string, job: TrainingJobDescription, stopAsked: boolean): Promise<Outcome> {
  const log = (level: RunLogLevel, message: string) => appendRunLog(db, runId, level, message);
  if (stopAsked) await log('warn', `Training job ${job.jobName} completed before SageMaker stopped it; its result is recorded.`);
  const data: Prisma.RunUpdateManyMutationInput = { artifactUri: job.modelArtifactsS3Uri };
  const archive = await readArchive(storage, job.modelArtifactsS3Uri);
  if ('files' in archive) {
    const stored = await storage.put(`runs/${runId}/model.json`, archive.modelText, { contentType: 'application/json' });
    Object.assign(data, {
      accuracy: archive.metrics.accuracy, macroF1: archive.metrics.macro_f1, metrics: archive.metrics as unknown as Prisma.InputJsonValue,
      featureImportance: archive.featureImportance as unknown as Prisma.InputJsonValue, artifactUri: storage.uri(stored.key), artifactSha256: archive.sha256,
      artifactBytes: BigInt(stored.bytes), codeVersion: archive.codeVersion,
    });
    await log('info', `Read ${archive.files.join(', ')} from ${job.modelArtifactsS3Uri}: accuracy ${archive.metrics.accuracy.toFixed(4)}, macro F1 ${archive.metrics.macro_f1.toFixed(4)}; model stored at ${storage.uri(stored.key)}.`);
  } else {
    const final = Object.fromEntries(job.finalMetrics.map((m) => [m.name, m.value]));
    Object.assign(data, { accuracy: final.accuracy ?? null, macroF1: final.macro_f1 ?? null });
    await log('warn', `Could not read the model archive (${archive.reason}); the run keeps SageMaker's final metric values only (${job.finalMetrics.map((m) => `${m.name}=${m.value}`).join(', ') || 'none reported'}), without the per-class metrics or a model copy.`);
  }
  const instanceType = job.instanceType ?? undefined;
  const seconds = job.billableSeconds ?? (job.startTime && job.endTime ? (job.endTime.getTime() - job.startTime.getTime()) / 1000 : null);
  const cost = instanceType && seconds !== null ? trainingCostUsd(instanceType, seconds * 1000) : null;
  if (job.billableSeconds === null) await log('warn', seconds === null ? 'SageMaker reported no billable time; no cost recorded.' : `SageMaker reported no billable time; cost estimated from the job's start and end times (${seconds.toFixed(0)} s, one-minute minimum).`);
  const now = new Date();
  const row = await db.run.findUnique({ where: { id: runId }, select: { startedAt: true } });
  const durationMs = row?.startedAt ? now.getTime() - row.startedAt.getTime() : null;
  const done = await db.run.updateMany({
    where: { id: runId, status: 'running' },
    data: { ...data, ...(instanceType ? { instanceType } : {}), costUsd: cost, status: 'succeeded', stage: 'succeeded', progress: 1, etaSeconds: null, finishedAt: now, durationMs },
  });
  if (!done.count) return 'skipped';
  await log('info', `SageMaker job ${job.jobName} completed${job.billableSeconds !== null ? ` (${job.billableSeconds} billable s${job.spot ? ', net of the Spot discount' : ''})` : ''}${cost !== null ? `, cost about $${cost.toFixed(4)}` : ''}.`);
  return 'succeeded';
}

type ArchiveRead = { files: string[]; modelText: string; sha256: string; metrics: RunMetrics; featureImportance: unknown; codeVersion: string | null } | { reason: string };

async function readArchive(storage: StoragePort, uri: string | null): Promise<ArchiveRead> {
  if (!uri) return { reason: 'SageMaker reported no model artifacts' };
  const root = `${storage.root}/`;
  if (!uri.startsWith(root)) return { reason: `${uri} is outside this platform's storage (${storage.root})` };
  try {
    const files = readModelArchive(await storage.getBuffer(uri.slice(root.length)));
    const modelText = files.get('model.json')?.toString('utf8');
    const metricsText = files.get('metrics.json')?.toString('utf8');
    if (!modelText || !metricsText) return { reason: `${uri} holds ${[...files.keys()].join(', ') || 'no files'}, not model.json and metrics.json` };
    const model = Model.load(modelText);
    const parsed = JSON.parse(metricsText) as { metrics?: RunMetrics; featureImportance?: unknown; codeVersion?: string | null };
    if (typeof parsed.metrics?.accuracy !== 'number' || typeof parsed.metrics.macro_f1 !== 'number') return { reason: `metrics.json in ${uri} has no accuracy and macro_f1` };
    return { files: [...files.keys()], modelText, sha256: (JSON.parse(modelText) as { sha256: string }).sha256, metrics: parsed.metrics, featureImportance: parsed.featureImportance ?? model.featureImportance(30), codeVersion: parsed.codeVersion ?? null };
  } catch (error) {
    return { reason: `${uri}: ${(error as Error).name}: ${(error as Error).message}` };
  }
}
