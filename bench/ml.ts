/**
 * ML library benchmark on the real data (time split: train weeks ≤ 200735, test
 * 200736–200752), in one run, against the references on exactly the same
 * exported features:
 *   logistic regression  vs scikit-learn LogisticRegression(lbfgs), same C / max_iter / tol
 *   gradient boosting    vs XGBoost hist, 2 threads, same rounds / depth / eta / bins
 * plus single-basket latency and batch throughput of the default model.
 * Needs Debian's python3-sklearn and python3-xgboost for the references.
 *
 *   npx tsx --conditions=react-server bench/ml.ts [data-folder]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { labelledIndices, selectBaskets, type BasketTable } from '../ml/data/basket-table';
import { pipelineConfigOf, resolveParams } from '../ml/estimators';
import { FeaturePipeline } from '../ml/features/pipeline';
import { GradientBoostingClassifier, GBDT_DEFAULTS } from '../ml/gbdt/gbdt';
import { LogisticRegression, LOGISTIC_DEFAULTS } from '../ml/linear/logistic-regression';
import { argmaxRows } from '../ml/metrics/classification';
import { Model } from '../ml/model';
import type { CsrMatrix } from '../ml/core/matrix';
import { loadBaskets } from '../server/ml/load-baskets';
import { createThreadPool } from '../server/ml/thread-pool';

const folder = process.argv[2] ?? path.resolve(import.meta.dirname, '..', '..', 'shared', 'data', 'dunnhumby');
const files = fs.existsSync(folder) ? fs.readdirSync(folder).filter((f) => /^transactions_\d{6}\.csv(\.gz)?$/.test(f)).map((f) => path.join(folder, f)) : [];
if (!files.length) {
  console.error(`No transactions files in ${folder}`);
  process.exit(2);
}
const PYTHON = '/usr/bin/python3';
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'pricesense-ml-bench-'));
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);

const table = await loadBaskets({ kind: 'csv', files });
const parallel = await createThreadPool();
const train = selectBaskets(table, labelledIndices(table, { to: 200735 }));
const test = selectBaskets(table, labelledIndices(table, { from: 200736, to: 200752 }));

function writeLibsvm(file: string, X: CsrMatrix, y: ArrayLike<number>) {
  const fd = fs.openSync(file, 'w');
  let buffer = '';
  for (let i = 0; i < X.rows; i++) {
    let line = String(y[i]);
    for (let p = X.indptr[i]!; p < X.indptr[i + 1]!; p++) line += ` ${X.indices[p]}:${X.values[p]}`;
    buffer += `${line}\n`;
    if (buffer.length > 1 << 20) {
      fs.writeSync(fd, buffer);
      buffer = '';
    }
  }
  fs.writeSync(fd, buffer);
  fs.closeSync(fd);
}

function exportFor(name: string, params: ReturnType<typeof resolveParams>, testTable: BasketTable) {
  const { pipeline, X, y } = FeaturePipeline.fitTransform(train, pipelineConfigOf(params), 42);
  const Xt = pipeline.transform(testTable).X;
  writeLibsvm(path.join(out, `${name}-train.svm`), X, y);
  writeLibsvm(path.join(out, `${name}-test.svm`), Xt, testTable.label);
  return { X, y, Xt, features: X.cols };
}

const accuracy = (proba: Float32Array, y: Int8Array) => {
  const pred = argmaxRows(proba, 3);
  let ok = 0;
  for (let i = 0; i < y.length; i++) if (pred[i] === y[i]) ok++;
  return ok / y.length;
};
const reference = (script: string, args: (string | number)[]) => {
  try {
    return JSON.parse(execFileSync(PYTHON, [path.join(import.meta.dirname, 'reference', script), ...args.map(String)], { maxBuffer: 1 << 24 }).toString()) as { seconds: number; accuracy: number; iterations?: number };
  } catch (error) {
    console.error(`reference ${script} failed (apt-get install python3-sklearn python3-xgboost): ${(error as Error).message.split('\n')[0]}`);
    return null;
  }
};

// Logistic regression on its default features (sparse product presence + learned tags).
const lrParams = resolveParams('logistic_regression');
const lrData = exportFor('lr', lrParams, test);
const lr = new LogisticRegression({ ...LOGISTIC_DEFAULTS, C: lrParams.C as number, maxIter: lrParams.maxIter as number, tol: lrParams.tol as number });
let t = performance.now();
lr.fit(lrData.X, lrData.y, { classes: 3, parallel });
const lrSeconds = (performance.now() - t) / 1000;
const lrAccuracy = accuracy(lr.predictProba(lrData.Xt), test.label);
const lrRef = reference('sklearn_lr.py', [path.join(out, 'lr-train.svm'), path.join(out, 'lr-test.svm'), lrData.features, lrParams.C as number, lrParams.maxIter as number, lrParams.tol as number]);

// Gradient boosting: XGBoost's settings (depth-wise, depth 6, 100 rounds, eta 0.1, 255 bins, no early stopping).
const gbParams = resolveParams('gbdt');
const gbData = exportFor('gbdt', gbParams, test);
const rounds = 100;
const gb = new GradientBoostingClassifier({ ...GBDT_DEFAULTS, nEstimators: rounds, growth: 'depthwise', maxDepth: 6, maxLeaves: 64, learningRate: 0.1, maxBins: 255, lambda: 1, minChildWeight: 1e-3, minSamplesLeaf: 1, validationFraction: 0 });
t = performance.now();
gb.fit(gbData.X, gbData.y, { classes: 3, parallel });
const gbSeconds = (performance.now() - t) / 1000;
const gbAccuracy = accuracy(gb.predictProba(gbData.Xt), test.label);
const gbRef = reference('xgboost_hist.py', [path.join(out, 'gbdt-train.svm'), path.join(out, 'gbdt-test.svm'), gbData.features, rounds, 6, 0.1, 255, 2]);

// Serving speed of the default model: one basket at a time, and batches.
const model = await Model.train(train, { parallel });
const baskets = Array.from({ length: 2000 }, (_, i) => {
  const b = i % test.size;
  const lines = [];
  for (let k = test.lineOffsets[b]!; k < test.lineOffsets[b + 1]!; k++) {
    lines.push({ prod: test.lines.prod.dictionary[test.lines.prod.codes[k]!]!, p10: test.lines.p10.dictionary[test.lines.p10.codes[k]!] ?? null, quantity: test.lines.quantity[k]!, spend: test.lines.spend[k]! });
  }
  return { storeFormat: test.context.storeFormat.dictionary[test.context.storeFormat.codes[b]!] ?? null, lines };
});
for (let i = 0; i < 5000; i++) model.predictBaskets([baskets[i % baskets.length]!]); // warm up (JIT)
const singleRuns = 20_000;
t = performance.now();
for (let i = 0; i < singleRuns; i++) model.predictBaskets([baskets[i % baskets.length]!]);
const singleMicros = ((performance.now() - t) * 1000) / singleRuns;
t = performance.now();
for (let i = 0; i < 3; i++) model.predictTable(test, parallel); // warm up (JIT in every thread)
const batchTimes: number[] = [];
let predicted: Int8Array<ArrayBufferLike> = new Int8Array(0);
for (let i = 0; i < 5; i++) {
  t = performance.now();
  predicted = model.predictTable(test, parallel).predicted;
  batchTimes.push(performance.now() - t);
}
const batchMs = batchTimes.sort((a, b) => a - b)[2]!; // median of 5
const batchPerSecond = test.size / (batchMs / 1000);
clearInterval(sampler);
await parallel.close();
fs.rmSync(out, { recursive: true, force: true });

const ratio = (ours: number, ref: { seconds: number } | null) => (ref ? `${(ours / ref.seconds).toFixed(2)}×` : 'n/a');
console.log(`\nTime split: ${train.size.toLocaleString('en-US')} training baskets (≤ 200735), ${test.size.toLocaleString('en-US')} test baskets (200736–200752); ${os.cpus().length} cores, ${parallel.threads} threads\n`);
console.table({
  'logistic regression (ours)': { 'train s': lrSeconds.toFixed(1), accuracy: lrAccuracy.toFixed(4), 'vs reference': ratio(lrSeconds, lrRef), target: '≤ 1.0× time, accuracy within 0.002' },
  'scikit-learn lbfgs': { 'train s': lrRef?.seconds.toFixed(1) ?? 'n/a', accuracy: lrRef?.accuracy.toFixed(4) ?? 'n/a', 'vs reference': '', target: `${lrData.features} features, C=${lrParams.C}` },
  'gradient boosting (ours)': { 'train s': gbSeconds.toFixed(1), accuracy: gbAccuracy.toFixed(4), 'vs reference': ratio(gbSeconds, gbRef), target: '≤ 1.0× time, accuracy within 0.002' },
  'XGBoost hist, 2 threads': { 'train s': gbRef?.seconds.toFixed(1) ?? 'n/a', accuracy: gbRef?.accuracy.toFixed(4) ?? 'n/a', 'vs reference': '', target: `${gbData.features} features, ${rounds} rounds` },
});
console.table({
  'single-basket prediction': { value: `${singleMicros.toFixed(1)} µs`, target: '≤ 20 µs' },
  'batch throughput': { value: `${Math.round(batchPerSecond).toLocaleString('en-US')} baskets/s`, target: '≥ 200,000 baskets/s' },
  'default model accuracy': { value: (predicted.filter((p, i) => p === test.label[i]).length / test.size).toFixed(4), target: '≥ 0.99' },
  'peak RSS': { value: `${(peakRss / 1e6).toFixed(0)} MB`, target: '≤ 2,000 MB' },
});
