import { pack, unpack } from './artifact/encoding';
import { sha256 } from './artifact/sha256';
import { MlError, throwIfAborted } from './core/errors';
import { LABELS, NUM_CLASSES } from './core/labels';
import { f32, f64, rangeOf, type KernelArgs, type Parallel } from './core/parallel';
import { shareTable, tableFromShared, type BasketInput, type BasketTable } from './data/basket-table';
import { DEFAULT_ALGORITHM, estimatorSpec, pipelineConfigOf, resolveParams, type Algorithm, type ParamValue } from './estimators';
import type { Classifier, FitProgress } from './estimator';
import { FeaturePipeline, type TransformStats } from './features/pipeline';
import { argmaxRows, calibration, classificationReport, logLoss, type ClassificationReport } from './metrics/classification';

/**
 * A trained model — the fitted feature pipeline plus the estimator — and its
 * artifact: one versioned JSON document sealed with a sha256. Training,
 * evaluation, batch scoring and the inference service all go through this.
 */
export const ARTIFACT_FORMAT = 'pricesense-model';
export const ARTIFACT_SCHEMA_VERSION = 1;

export type TrainingInfo = {
  baskets: number;
  lines: number;
  weeks: { from: number; to: number } | null;
  /** Identity of the training data: a dataset version's content hash, or of the files. */
  dataHash?: string | null;
  datasetVersionId?: string | null;
  codeVersion?: string | null;
  /** Threads the fit used: results are reproducible for the same seed and thread count. */
  threads?: number;
  seconds?: number;
};

export type ArtifactBody = {
  format: typeof ARTIFACT_FORMAT;
  schemaVersion: typeof ARTIFACT_SCHEMA_VERSION;
  algorithm: Algorithm;
  params: Record<string, ParamValue>;
  seed: number;
  labels: string[];
  createdAt: string;
  training: TrainingInfo;
  metrics: Record<string, unknown> | null;
  pipeline: unknown;
  estimator: unknown;
};

export type TrainStage = 'features' | 'fit';
export type TrainProgress = FitProgress & { stage: TrainStage; elapsedMs: number };

export type Evaluation = ClassificationReport & {
  n_baskets: number;
  row_accuracy: number;
  log_loss: number;
  calibration: ReturnType<typeof calibration>;
  unknown_product_lines: number;
};

const DENSE_SERVING_MAX_FEATURES = 2048;

export type BasketPrediction = { label: string; probabilities: Record<string, number> };

export class Model {
  private constructor(
    readonly body: Omit<ArtifactBody, 'pipeline' | 'estimator'>,
    readonly pipeline: FeaturePipeline,
    readonly estimator: Classifier,
  ) {}

  static async train(
    table: BasketTable,
    opts: { algorithm?: string; params?: Record<string, unknown>; seed?: number; training?: Partial<TrainingInfo>; onProgress?: (p: TrainProgress) => void; signal?: AbortSignal; parallel?: Parallel } = {},
  ): Promise<Model> {
    const started = Date.now();
    const algorithm = (opts.algorithm ?? DEFAULT_ALGORITHM) as Algorithm;
    const spec = estimatorSpec(algorithm);
    const params = resolveParams(algorithm, opts.params);
    const seed = opts.seed ?? 42;
    if (!Number.isInteger(seed) || seed < 0) throw new MlError('INVALID_PARAM', `seed must be a non-negative integer (got ${seed})`);
    opts.onProgress?.({ stage: 'features', iteration: 0, totalIterations: 1, elapsedMs: 0 });
    const { pipeline, X, y, rows } = FeaturePipeline.fitTransform(table, pipelineConfigOf(params), seed);
    throwIfAborted(opts.signal);
    const estimator = spec.create(params, seed);
    await estimator.fit(X, y, { classes: NUM_CLASSES, signal: opts.signal, parallel: opts.parallel, onProgress: (p) => opts.onProgress?.({ ...p, stage: 'fit', elapsedMs: Date.now() - started }) });
    let minWeek = Infinity;
    let maxWeek = -Infinity;
    let lines = 0;
    for (const b of rows) {
      minWeek = Math.min(minWeek, table.week[b]!);
      maxWeek = Math.max(maxWeek, table.week[b]!);
      lines += table.lineOffsets[b + 1]! - table.lineOffsets[b]!;
    }
    const body = {
      format: ARTIFACT_FORMAT, schemaVersion: ARTIFACT_SCHEMA_VERSION, algorithm, params, seed, labels: [...LABELS], createdAt: new Date().toISOString(),
      training: { baskets: rows.length, lines, weeks: rows.length ? { from: minWeek, to: maxWeek } : null, ...opts.training, threads: opts.parallel?.threads ?? 1, seconds: (Date.now() - started) / 1000 },
      metrics: null,
    } satisfies Omit<ArtifactBody, 'pipeline' | 'estimator'>;
    return new Model(body, pipeline, estimator);
  }

  /** Parse and verify an artifact: known format and version, untampered (sha256), complete. */
  static load(artifact: string | { sha256?: unknown; body?: unknown; format?: unknown; schemaVersion?: unknown }): Model {
    let doc: { format?: unknown; schemaVersion?: unknown; sha256?: unknown; body?: unknown };
    try {
      doc = typeof artifact === 'string' ? JSON.parse(artifact) : artifact;
    } catch (error) {
      throw new MlError('ARTIFACT', `Not a model artifact: the file is not valid JSON (${(error as Error).message}); is it truncated?`);
    }
    if (!doc || doc.format !== ARTIFACT_FORMAT) throw new MlError('ARTIFACT', 'Not a model artifact (format is not pricesense-model)');
    if (doc.schemaVersion !== ARTIFACT_SCHEMA_VERSION) {
      throw new MlError('ARTIFACT', `Artifact schema version ${JSON.stringify(doc.schemaVersion)} is not supported by this version (expects ${ARTIFACT_SCHEMA_VERSION}); retrain the model or upgrade`);
    }
    if (typeof doc.sha256 !== 'string' || !doc.body || typeof doc.body !== 'object') throw new MlError('ARTIFACT', 'The artifact has no body or sha256');
    const actual = sha256(JSON.stringify(doc.body));
    if (actual !== doc.sha256) throw new MlError('ARTIFACT', `The artifact was modified or corrupted: its sha256 is ${actual}, the seal says ${doc.sha256}`);
    const body = unpack(doc.body) as ArtifactBody;
    let estimator: Classifier;
    let pipeline: FeaturePipeline;
    try {
      pipeline = FeaturePipeline.fromJSON(body.pipeline);
      estimator = estimatorSpec(body.algorithm).restore(body.estimator);
    } catch (error) {
      throw new MlError('ARTIFACT', `The artifact's model could not be restored: ${(error as Error).message}`);
    }
    const { pipeline: _p, estimator: _e, ...rest } = body;
    return new Model(rest, pipeline, estimator);
  }

  /** The artifact text and its sha256 (also inside the document). */
  toArtifact(metrics?: Record<string, unknown> | null): { text: string; sha256: string } {
    const body = pack({ ...this.body, metrics: metrics ?? this.body.metrics, pipeline: this.pipeline.toJSON(), estimator: this.estimator.toJSON() });
    const bodyText = JSON.stringify(body);
    const digest = sha256(bodyText);
    return { text: `{"format":"${ARTIFACT_FORMAT}","schemaVersion":${ARTIFACT_SCHEMA_VERSION},"sha256":"${digest}","body":${bodyText}}`, sha256: digest };
  }

  /**
   * Scores every basket of a table. With threads, large tables are split: each
   * thread featurises and scores its share (workers load this model once, by
   * its sha256), so batch scoring uses every core end to end.
   */
  predictTable(table: BasketTable, parallel?: Parallel): { proba: Float32Array; predicted: Int8Array; stats: TransformStats } {
    if (parallel && parallel.threads > 1 && table.size >= 8192) {
      const artifact = (this.artifactCache ??= this.toArtifact());
      const proba = f32(parallel, table.size * NUM_CLASSES);
      const stats = f64(parallel, 3 * parallel.threads);
      const sent = this.sentTo.has(parallel);
      parallel.run('model.predictTable', { ...shareTable(table, (a) => parallel.share(a)), modelSha: artifact.sha256, modelText: sent ? null : artifact.text, proba, stats }, (args, thread, threads) => predictTableKernel(args, thread, threads, this));
      this.sentTo.add(parallel);
      const total: TransformStats = { baskets: table.size, lines: 0, unknownProductLines: 0, unknownContextValues: 0 };
      for (let t = 0; t < parallel.threads; t++) {
        total.lines += stats[3 * t]!;
        total.unknownProductLines += stats[3 * t + 1]!;
        total.unknownContextValues += stats[3 * t + 2]!;
      }
      return { proba: Float32Array.from(proba), predicted: argmaxRows(proba, NUM_CLASSES), stats: total };
    }
    const { X, stats } = this.pipeline.transform(table);
    const proba = this.estimator.predictProba(X, parallel);
    return { proba, predicted: argmaxRows(proba, NUM_CLASSES), stats };
  }

  private artifactCache: { text: string; sha256: string } | null = null;
  private readonly sentTo = new WeakSet<Parallel>();

  predictBaskets(baskets: BasketInput[]): BasketPrediction[] {
    baskets.forEach((b, i) => {
      if (!b.lines?.length) throw new MlError('INVALID_DATA', `basket ${b.basketId ?? i + 1} has no lines`);
    });
    // One basket for a model with few features (trees): a dense row, no sparse matrix to build.
    const X = baskets.length === 1 && this.pipeline.numFeatures <= DENSE_SERVING_MAX_FEATURES ? this.pipeline.transformBasketDense(baskets[0]!).X : this.pipeline.transformBaskets(baskets).X;
    const proba = this.estimator.predictProba(X);
    const predicted = argmaxRows(proba, NUM_CLASSES);
    return Array.from(predicted, (c, i) => ({
      label: LABELS[c]!,
      probabilities: { LA: proba[i * NUM_CLASSES]!, MM: proba[i * NUM_CLASSES + 1]!, UM: proba[i * NUM_CLASSES + 2]! },
    }));
  }

  /** Metrics on the labelled baskets of a table (XX baskets are skipped). */
  evaluate(table: BasketTable): Evaluation {
    const labelled: number[] = [];
    for (let b = 0; b < table.size; b++) if (table.label[b]! >= 0) labelled.push(b);
    if (!labelled.length) throw new MlError('INVALID_DATA', 'No labelled baskets (LA, MM or UM) to evaluate on');
    const { proba, predicted, stats } = this.predictTable(table);
    const yTrue = Int8Array.from(labelled, (b) => table.label[b]!);
    const yPred = Int8Array.from(labelled, (b) => predicted[b]!);
    const p = new Float32Array(labelled.length * NUM_CLASSES);
    labelled.forEach((b, i) => p.set(proba.subarray(b * NUM_CLASSES, (b + 1) * NUM_CLASSES), i * NUM_CLASSES));
    let lines = 0;
    let correctLines = 0;
    for (const b of labelled) {
      const n = table.lineOffsets[b + 1]! - table.lineOffsets[b]!;
      lines += n;
      if (predicted[b] === table.label[b]) correctLines += n;
    }
    const report = classificationReport(yTrue, yPred);
    return { ...report, n_baskets: labelled.length, row_accuracy: lines ? correctLines / lines : 0, log_loss: logLoss(yTrue, p, NUM_CLASSES), calibration: calibration(yTrue, p), unknown_product_lines: stats.unknownProductLines };
  }

  featureImportance(top = 30): { feature: string; importance: number }[] {
    const imp = this.estimator.featureImportance();
    return Array.from(imp, (importance, i) => ({ feature: this.pipeline.featureNames[i]!, importance }))
      .sort((a, b) => b.importance - a.importance)
      .slice(0, top);
  }

  withMetrics(metrics: Record<string, unknown>): Model {
    return new Model({ ...this.body, metrics }, this.pipeline, this.estimator);
  }
}

/** Models a worker thread has been sent, by sha256 (a few, most recent last). */
const workerModels = new Map<string, Model>();

/** Kernel: featurise and score the thread's share of a shared table's baskets. */
export function predictTableKernel(args: KernelArgs, thread: number, threads: number, local?: Model) {
  let model = local;
  if (!model) {
    const sha = args.modelSha as string;
    model = workerModels.get(sha);
    if (!model) {
      if (typeof args.modelText !== 'string') throw new MlError('ARTIFACT', `model ${sha} was not sent to this thread`);
      model = Model.load(args.modelText);
      workerModels.set(sha, model);
      if (workerModels.size > 4) workerModels.delete(workerModels.keys().next().value!);
    }
  }
  const table = tableFromShared(args);
  const [from, to] = rangeOf(table.size, thread, threads);
  if (from === to) return;
  const { X, stats } = model.pipeline.transform(table, from, to);
  (args.proba as Float32Array).set(model.estimator.predictProba(X), from * NUM_CLASSES);
  const out = args.stats as Float64Array;
  out[3 * thread] = stats.lines;
  out[3 * thread + 1] = stats.unknownProductLines;
  out[3 * thread + 2] = stats.unknownContextValues;
}
