import 'server-only';
import fs from 'node:fs/promises';
import path from 'node:path';
import { formatMetricLine, parseHyperparameters } from '@/server/adapters/training/trainer-contract';
import { codeVersion } from '@/server/ml/code-version';
import { loadBaskets } from '@/server/ml/load-baskets';
import { createThreadPool } from '@/server/ml/thread-pool';
import { trainAndEvaluate, TrainingDataError } from '@/server/ml/train-and-evaluate';

/**
 * The trainer container's entry (trainer/Dockerfile), following SageMaker's
 * conventions: hyperparameters in /opt/ml/input/config/hyperparameters.json, the
 * dataset version's curated Parquet rows in the `train` channel, the model (and
 * metrics.json) written to /opt/ml/model (SageMaker archives it as model.tar.gz),
 * metric lines on stdout for the job's metric definitions, and the reason of a
 * failure in /opt/ml/output/failure. Every path can be overridden by env (tests).
 */
export type EntryPaths = { configDir: string; trainDir: string; modelDir: string; outputDir: string };

export function entryPaths(env: Record<string, string | undefined>): EntryPaths {
  const base = env.SM_BASE_DIR ?? '/opt/ml';
  return {
    configDir: env.SM_INPUT_CONFIG_DIR ?? path.join(base, 'input', 'config'),
    trainDir: env.SM_CHANNEL_TRAIN ?? path.join(base, 'input', 'data', 'train'),
    modelDir: env.SM_MODEL_DIR ?? path.join(base, 'model'),
    outputDir: env.SM_OUTPUT_DIR ?? path.join(base, 'output'),
  };
}

export async function runEntry(paths: EntryPaths, print: (line: string) => void = (l) => process.stdout.write(`${l}\n`)) {
  const raw: unknown = JSON.parse(await fs.readFile(path.join(paths.configDir, 'hyperparameters.json'), 'utf8'));
  const hp = parseHyperparameters(raw);
  print(`Run ${hp.runId}: ${hp.algorithm} ${JSON.stringify(hp.params)} seed ${hp.seed}; reading ${paths.trainDir}`);
  const started = Date.now();
  const table = await loadBaskets({ kind: 'parquet', rowsDir: paths.trainDir });
  print(`Loaded ${table.size} baskets in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  const parallel = await createThreadPool();
  let result: Awaited<ReturnType<typeof trainAndEvaluate>>;
  try {
    result = await trainAndEvaluate(table, {
      algorithm: hp.algorithm, params: hp.params, seed: hp.seed, parallel,
      training: { codeVersion: process.env.TRAINER_CODE_VERSION || codeVersion(), datasetVersionId: hp.datasetVersionId, dataHash: hp.dataHash },
      onSplit: ({ split, train, test }) => print(`Time split: train weeks ${split.trainWeeks.join('-')} (${train.size} labelled baskets), test weeks ${split.testWeeks.join('-')} (${test.size}).`),
      onProgress: (p) => {
        if (p.stage === 'fit' && (p.trainLoss !== undefined || p.validationLoss !== undefined)) {
          print(formatMetricLine({ train_loss: p.trainLoss, validation_loss: p.validationLoss }, `iteration=${p.iteration}/${p.totalIterations} `));
        }
      },
    });
  } finally {
    await parallel.close();
  }
  const { model, metrics } = result;
  const artifact = model.toArtifact(metrics as unknown as Record<string, unknown>);
  await fs.mkdir(paths.modelDir, { recursive: true });
  await fs.writeFile(path.join(paths.modelDir, 'model.json'), artifact.text);
  await fs.writeFile(path.join(paths.modelDir, 'metrics.json'), JSON.stringify({ metrics, featureImportance: model.featureImportance(30), artifactSha256: artifact.sha256, codeVersion: model.body.training.codeVersion ?? null }));
  print(formatMetricLine({ accuracy: metrics.accuracy, macro_f1: metrics.macro_f1, weighted_f1: metrics.weighted_f1, log_loss: metrics.log_loss }, 'final '));
  return { metrics, sha256: artifact.sha256 };
}

/** SageMaker shows the content of /opt/ml/output/failure as the job's FailureReason. */
export async function writeFailure(paths: EntryPaths, error: unknown) {
  const message = error instanceof TrainingDataError || (error instanceof Error && error.message.startsWith('Invalid hyperparameters')) ? error.message : error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  await fs.mkdir(paths.outputDir, { recursive: true });
  await fs.writeFile(path.join(paths.outputDir, 'failure'), message.slice(0, 1000));
  return message;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename);
if (isMain) {
  const paths = entryPaths(process.env);
  runEntry(paths)
    .then(() => process.exit(0))
    .catch(async (error: unknown) => {
      const message = await writeFailure(paths, error).catch(() => String(error));
      process.stderr.write(`${message}\n${error instanceof Error && !(error instanceof TrainingDataError) ? (error.stack ?? '') : ''}\n`);
      process.exit(1);
    });
}
