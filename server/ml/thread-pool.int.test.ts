import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticBaskets } from '@/test/synthetic-baskets';
import { tableFromBaskets } from '@/ml/data/basket-table';
import { Model } from '@/ml/model';
import { binMatrix, fitBins } from '@/ml/core/binning';
import { Rng } from '@/ml/core/random';
import { FeaturePipeline } from '@/ml/features/pipeline';
import { createThreadPool, type ThreadPool } from './thread-pool';

const train = tableFromBaskets(syntheticBaskets({ baskets: 30_000, seed: 1 }));
const test = tableFromBaskets(syntheticBaskets({ baskets: 6_000, seed: 2, weeks: [200621, 200625] }));
let pool: ThreadPool;

beforeAll(async () => {
  pool = await createThreadPool(2);
});
afterAll(() => pool.close());

describe('training over worker threads', () => {
  it.each([
    ['gbdt', { nEstimators: 15, minSamplesLeaf: 5 }],
    ['logistic_regression', { maxIter: 60 }],
  ] as const)('%s: two threads learn what one does, and are deterministic for a seed', async (algorithm, params) => {
    const serial = await Model.train(train, { algorithm, params, seed: 4 });
    const threaded = await Model.train(train, { algorithm, params, seed: 4, parallel: pool });
    const again = await Model.train(train, { algorithm, params, seed: 4, parallel: pool });
    expect(threaded.body.training.threads).toBe(2);
    expect(JSON.stringify(again.estimator.toJSON())).toBe(JSON.stringify(threaded.estimator.toJSON()));
    const a = serial.evaluate(test);
    const b = threaded.evaluate(test);
    expect(b.accuracy).toBeGreaterThan(0.9);
    expect(Math.abs(a.accuracy - b.accuracy)).toBeLessThan(0.005);
    // Sums in another order move probabilities by rounding only.
    const pa = serial.predictTable(test).proba;
    const pb = threaded.predictTable(test).proba;
    let worst = 0;
    for (let i = 0; i < pa.length; i++) worst = Math.max(worst, Math.abs(pa[i]! - pb[i]!));
    expect(worst).toBeLessThan(algorithm === 'gbdt' ? 0.05 : 0.01);
  }, 120_000);

  it('batch scoring over threads equals serial scoring, for every algorithm', async () => {
    const big = tableFromBaskets(syntheticBaskets({ baskets: 12_000, seed: 7, weeks: [200621, 200625] }));
    for (const [algorithm, params] of [['gbdt', { nEstimators: 5 }], ['logistic_regression', { maxIter: 20 }], ['decision_tree', {}]] as const) {
      const model = await Model.train(train, { algorithm, params });
      const serial = model.predictTable(big);
      const threaded = model.predictTable(big, pool);
      expect(Array.from(threaded.proba), algorithm).toEqual(Array.from(serial.proba));
      expect(threaded.stats).toEqual(serial.stats);
      // The workers keep the model: a second call sends only its sha256.
      expect(Array.from(model.predictTable(big, pool).predicted)).toEqual(Array.from(serial.predicted));
    }
  }, 120_000);

  it('fits bin edges and bins a matrix over threads exactly as on one', () => {
    const { X } = FeaturePipeline.fitTransform(train, { products: 'none', targetEncoding: true }, 1);
    const bins = fitBins(X, 255, new Rng(1));
    const threadedBins = fitBins(X, 255, new Rng(1), undefined, pool);
    expect(threadedBins.upper.map((u) => Array.from(u))).toEqual(bins.upper.map((u) => Array.from(u)));
    expect(Array.from(threadedBins.zeroBin)).toEqual(Array.from(bins.zeroBin));
    const serial = binMatrix(X, bins);
    const threaded = binMatrix(X, bins, pool);
    expect(Buffer.from(threaded.bins).equals(Buffer.from(serial.bins))).toBe(true);
    expect(Buffer.from(threaded.columns!).equals(Buffer.from(serial.columns!))).toBe(true);
  });

  it('a failing kernel is reported to the caller, and the pool keeps working', () => {
    const local = () => undefined;
    expect(() => pool.run('no.such.kernel', {}, local)).toThrow(/ML worker thread failed in no.such.kernel: thread 1: unknown kernel no.such.kernel/);
    const out = pool.alloc(Float64Array, 8, 2);
    pool.run('lr.lossGrad3', {
      indptr: pool.share(Int32Array.from([0, 1, 2])), indices: pool.share(Int32Array.from([0, 0])), values: pool.share(Float32Array.from([1, 1])),
      y: pool.share(Int32Array.from([0, 1])), rowWeight: pool.share(Float64Array.from([0.5, 0.5])), x: pool.alloc(Float64Array, 8, 6), grads: pool.alloc(Float64Array, 8, 12),
      losses: out, d: 1, size: 6, intercept: true, bounds: [0, 1, 2],
    }, () => undefined);
    // Thread 1 took row 1 (weight ½, uniform scores): ½·ln 3.
    expect(out[1]).toBeCloseTo(0.5 * Math.log(3), 12);
  });
});
