import 'server-only';
import { LABELS } from '@/ml/core/labels';
import type { Model, TrainProgress } from '@/ml/model';
import { createStorage } from '@/server/adapters/storage';
import { trainingCostUsd, LOCAL_EQUIVALENT_INSTANCE } from '@/server/costs/prices';
import { createPrismaClient, type Db, type Prisma } from '@/server/db/client';
import { dataDir, parseEnv } from '@/server/env';
import { codeVersion } from '@/server/ml/code-version';
import { loadBaskets } from '@/server/ml/load-baskets';
import { createThreadPool } from '@/server/ml/thread-pool';
import { evaluateModel, splitForTraining, trainModel, TrainingDataError } from '@/server/ml/train-and-evaluate';
import { localRowsDir } from '@/server/services/datasets/local-layers';
import { appendRunLog } from '@/server/services/runs/run-log';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * One training run, in its own process (started by the worker: a cancel or a crash
 * ends only this run). Reads the dataset version's curated rows, splits by time
 * (the last weeks are the test set), trains with progress and curves written to
 * the database as it goes, evaluates, stores the artifact and marks the run
 * succeeded. Failures exit non-zero after logging the reason; the worker marks the
 * run failed or cancelled.
 */
const runId = process.argv[2];
const WRITE_EVERY_MS = 1000;

class RunFailure extends Error {}

async function main(db: Db) {
  if (!runId) throw new RunFailure('usage: run-trainer.ts <run id>');
  const env = parseEnv(process.env);
  const storage = createStorage(env);
  const run = await db.run.findUnique({ where: { id: runId }, include: { datasetVersion: { include: { dataset: { select: { name: true } } } } } });
  if (!run) throw new RunFailure(`Run ${runId} does not exist.`);
  const version = run.datasetVersion;
  if (version.deletedAt || version.status !== 'ready') throw new RunFailure(`Dataset version ${version.dataset.name} v${version.version ?? '?'} is ${version.deletedAt ? 'deleted' : version.status}; a run can only train on a ready version.`);
  const started = Date.now();
  const log = (message: string, level: 'info' | 'warn' | 'error' = 'info') => appendRunLog(db, runId, level, message);
  // Time left, by the pace so far (once past the start, whose loading says little).
  const etaSeconds = (fraction: number) => (fraction > 0.12 && fraction < 1 ? Math.round((((Date.now() - started) / 1000) / fraction) * (1 - fraction)) : null);
  const progress = (stage: string, fraction: number) =>
    db.run.updateMany({ where: { id: runId, status: 'running' }, data: { stage, progress: Math.min(1, fraction), etaSeconds: etaSeconds(fraction) } });

  await progress('loading data', 0.01);
  await log(`Loading ${version.dataset.name} v${version.version} (${Number(version.rowCount ?? 0).toLocaleString('en-US')} rows)…`);
  const rowsDir = await localRowsDir(storage, version.datasetId, version.id, path.join(dataDir(env), 'work'));
  const table = await loadBaskets({ kind: 'parquet', rowsDir });
  const tables = splitForTraining(table);
  const { split, train, test } = tables;
  await log(`Loaded ${table.size.toLocaleString('en-US')} baskets in ${((Date.now() - started) / 1000).toFixed(1)} s. Time split: train weeks ${split.trainWeeks.join('–')} (${train.size.toLocaleString('en-US')} labelled baskets), test weeks ${split.testWeeks.join('–')} (${test.size.toLocaleString('en-US')}).`);
  await progress('building features', 0.05);

  // Training is synchronous: progress goes to a reporter thread that writes it
  // while this thread trains (at most once a second; curve points batched).
  const reporter = startReporter(runId!);
  const points: { key: string; step: number; value: number }[] = [];
  let lastWrite = 0;
  let lastLogged = -1;
  const onProgress = (p: TrainProgress) => {
    if (p.stage !== 'fit') return;
    if (p.trainLoss !== undefined) points.push({ key: 'train_loss', step: p.iteration, value: p.trainLoss });
    if (p.validationLoss !== undefined) points.push({ key: 'validation_loss', step: p.iteration, value: p.validationLoss });
    for (const [key, value] of Object.entries(p.metrics ?? {})) points.push({ key, step: p.iteration, value });
    if (Date.now() - lastWrite < WRITE_EVERY_MS && p.iteration !== p.totalIterations) return;
    lastWrite = Date.now();
    reporter.post({ type: 'points', points: points.splice(0) });
    const fraction = 0.1 + 0.8 * (p.iteration / Math.max(1, p.totalIterations));
    reporter.post({ type: 'progress', stage: `training ${p.iteration}/${p.totalIterations}`, progress: fraction, etaSeconds: etaSeconds(fraction) });
    const decile = Math.floor((10 * p.iteration) / Math.max(1, p.totalIterations));
    if (decile !== lastLogged) {
      lastLogged = decile;
      reporter.post({ type: 'log', level: 'info', message: `Iteration ${p.iteration}/${p.totalIterations}${p.trainLoss !== undefined ? `: train loss ${p.trainLoss.toFixed(4)}` : ''}${p.validationLoss !== undefined ? `, validation loss ${p.validationLoss.toFixed(4)}` : ''}` });
    }
  };

  const threads = Number(process.env.MLOPS_ML_THREADS) || undefined;
  const parallel = await createThreadPool(threads);
  const code = codeVersion();
  let model: Model;
  try {
    model = await trainModel(tables, {
      algorithm: run.algorithm, params: run.params as Record<string, unknown>, seed: run.seed, parallel, onProgress,
      training: { codeVersion: code, datasetVersionId: version.id, dataHash: version.contentHash ?? undefined },
    });
  } finally {
    await parallel.close();
    reporter.post({ type: 'points', points: points.splice(0) });
    await reporter.close();
  }
  await progress('evaluating', 0.92);
  const { metrics, evaluation: e } = evaluateModel(model, tables);
  await log(`Evaluated on ${e.n_baskets.toLocaleString('en-US')} test baskets: accuracy ${e.accuracy.toFixed(4)}, macro F1 ${e.macro_f1.toFixed(4)}, ${LABELS.map((l) => `${l} precision ${e.per_class[l]!.precision.toFixed(3)}`).join(', ')}.`);
  await progress('saving artifact', 0.96);
  const artifact = model.toArtifact(metrics as unknown as Record<string, unknown>);
  const key = `runs/${runId}/model.json`;
  const stored = await storage.put(key, artifact.text, { contentType: 'application/json' });
  const durationMs = Date.now() - (run.startedAt?.getTime() ?? started);
  const done = await db.run.updateMany({
    // Only if the run is still ours: a run taken over by another worker keeps that worker's result.
    where: { id: runId, status: 'running', ...(process.env.MLOPS_WORKER_ID ? { workerId: process.env.MLOPS_WORKER_ID } : {}) },
    data: {
      status: 'succeeded', stage: 'succeeded', progress: 1, etaSeconds: null, accuracy: e.accuracy, macroF1: e.macro_f1,
      metrics: metrics as unknown as Prisma.InputJsonValue, featureImportance: model.featureImportance(30) as unknown as Prisma.InputJsonValue,
      artifactUri: storage.uri(key), artifactSha256: artifact.sha256, artifactBytes: BigInt(stored.bytes), codeVersion: code,
      instanceType: LOCAL_EQUIVALENT_INSTANCE, costUsd: trainingCostUsd(LOCAL_EQUIVALENT_INSTANCE, durationMs), finishedAt: new Date(), durationMs,
    },
  });
  if (!done.count) throw new RunFailure('The run was cancelled or taken over while it finished; its result was not recorded.');
  await log(`Stored the model (${(stored.bytes / 1e6).toFixed(2)} MB, sha256 ${artifact.sha256.slice(0, 12)}…) at ${storage.uri(key)}. Done in ${(durationMs / 1000).toFixed(1)} s.`);
}

/** The reporter thread (run-reporter.mjs): post() never blocks; close() waits until everything is written. */
function startReporter(id: string) {
  const worker = new Worker(new URL('./run-reporter.mjs', import.meta.url), { workerData: { databaseUrl: process.env.DATABASE_URL, runId: id, parentPid: process.ppid, workerId: process.env.MLOPS_WORKER_ID ?? null } });
  worker.on('message', (m: { type: string; message?: string }) => {
    if (m.type === 'error') process.stderr.write(`progress reporter: ${m.message}\n`);
  });
  return {
    post: (message: Record<string, unknown>) => worker.postMessage(message),
    close: async () => {
      const flushed = new Promise<void>((resolve) => worker.once('message', () => resolve()));
      worker.postMessage({ type: 'flush', id: 1 });
      await flushed;
      worker.postMessage({ type: 'close' });
      await new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    },
  };
}

if (runId !== undefined && process.env.MLOPS_PROCESS === 'trainer') {
  // If the worker that started us dies, stop too (its recovery pass re-queues the run).
  process.on('disconnect', () => process.exit(3));
  const url = process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write('DATABASE_URL is required\n');
    process.exit(2);
  }
  const db = createPrismaClient(url, 'pricesense:trainer');
  main(db)
    .then(() => db.$disconnect().then(() => process.exit(0)))
    .catch(async (error: Error) => {
      const message = error instanceof RunFailure || error instanceof TrainingDataError ? error.message : `${error.name}: ${error.message}`;
      await appendRunLog(db, runId, 'error', message).catch(() => undefined);
      if (!(error instanceof RunFailure || error instanceof TrainingDataError)) await appendRunLog(db, runId, 'debug', (error.stack ?? '').split('\n').slice(0, 12).join('\n')).catch(() => undefined);
      process.stderr.write(`${message}\n`);
      await db.$disconnect().catch(() => undefined);
      process.exit(1);
    });
}
