/**
 * Trains our model for bench/inference.ts in a process of its own: a fit blocks
 * its thread until done, and the bench must stay able to answer Ctrl-C (tsx
 * kills a child that does not acknowledge a signal within 30 ms, skipping its
 * clean-up). Same time split as a training run; writes the artifact and prints
 * one JSON line about it.
 *
 *   node --conditions=react-server --import tsx bench/lib/train-ours.ts ARTIFACT_OUT PARAMS_JSON FILE...
 */
import fs from 'node:fs';
import { Model } from '../../ml/model';
import { loadBaskets } from '../../server/ml/load-baskets';
import { createThreadPool } from '../../server/ml/thread-pool';
import { splitForTraining } from '../../server/ml/train-and-evaluate';

const [out, params, ...files] = process.argv.slice(2);
if (!out || !params || !files.length) {
  console.error('usage: train-ours.ts ARTIFACT_OUT PARAMS_JSON FILE...');
  process.exit(2);
}
const started = performance.now();
const { split, train } = splitForTraining(await loadBaskets({ kind: 'csv', files }));
const pool = await createThreadPool();
const model = await Model.train(train, { algorithm: 'gbdt', params: JSON.parse(params) as Record<string, unknown>, parallel: pool, training: { codeVersion: 'bench' } });
await pool.close();
const artifact = model.toArtifact();
fs.writeFileSync(out, artifact.text);
console.log(JSON.stringify({ sha256: artifact.sha256, bytes: artifact.text.length, features: model.pipeline.numFeatures, baskets: train.size, trainWeeks: split.trainWeeks, seconds: (performance.now() - started) / 1000 }));
