import { describe, expect, it } from 'vitest';
import { syntheticBaskets } from '@/test/synthetic-baskets';
import { tableFromBaskets } from './data/basket-table';
import { ALGORITHMS, resolveParams } from './estimators';
import { Model } from './model';

const train = tableFromBaskets(syntheticBaskets({ baskets: 4000, seed: 1 }));
const test = tableFromBaskets(syntheticBaskets({ baskets: 1000, seed: 2, weeks: [200621, 200625] }));
const FAST: Record<string, Record<string, unknown>> = {
  logistic_regression: { maxIter: 200 },
  gbdt: { nEstimators: 40 },
  random_forest: { nEstimators: 10 },
  decision_tree: {},
};

describe.each(ALGORITHMS)('%s', (algorithm) => {
  it('learns the product-tag signal, round-trips its artifact exactly, and is deterministic for a seed', async () => {
    const model = await Model.train(train, { algorithm, params: FAST[algorithm], seed: 3 });
    const evaluation = model.evaluate(test);
    expect(evaluation.accuracy).toBeGreaterThan(0.9);
    expect(evaluation.n_baskets).toBe(980); // XX baskets are not scored
    const { text, sha256 } = model.toArtifact();
    const loaded = Model.load(text);
    expect(Array.from(loaded.predictTable(test).proba)).toEqual(Array.from(model.predictTable(test).proba));
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
    const again = await Model.train(train, { algorithm, params: FAST[algorithm], seed: 3 });
    expect(JSON.stringify(again.estimator.toJSON())).toBe(JSON.stringify(model.estimator.toJSON()));
    const importance = model.featureImportance(5);
    expect(importance[0]!.importance).toBeGreaterThan(0);
  });
});

describe('serving parity and unknown values', () => {
  it('predicts one basket exactly as in a batch, and treats unknown products and codes as such, not errors', async () => {
    const model = await Model.train(train, { algorithm: 'decision_tree' });
    const baskets = syntheticBaskets({ baskets: 20, seed: 9 });
    const batch = model.predictBaskets(baskets);
    const single = baskets.map((b) => model.predictBaskets([b])[0]);
    expect(single).toEqual(batch);
    const strange = { ...baskets[0]!, storeRegion: 'MARS', storeFormat: 'HUGE', lines: [{ prod: 'PRD-NEVER-SEEN', p10: 'CL-NEW', quantity: 1, spend: 2 }, ...baskets[0]!.lines] };
    const [prediction] = model.predictBaskets([strange]);
    expect(Object.values(prediction!.probabilities).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(model.predictTable(tableFromBaskets([strange])).stats).toMatchObject({ unknownProductLines: 1, unknownContextValues: 2 });
  });
});

describe('bad input gets a clear error', () => {
  it('no labelled baskets, one class only, non-finite values', async () => {
    const unlabelled = syntheticBaskets({ baskets: 50 }).map((b) => ({ ...b, label: 'XX' }));
    await expect(Model.train(tableFromBaskets(unlabelled))).rejects.toThrow(/No labelled baskets/);
    const oneClass = syntheticBaskets({ baskets: 50 }).map((b) => ({ ...b, label: 'MM' }));
    await expect(Model.train(tableFromBaskets(oneClass), { algorithm: 'logistic_regression' })).rejects.toThrow(/Only one class/);
    const broken = syntheticBaskets({ baskets: 50 });
    broken[3]!.lines[0]!.spend = Number.NaN;
    await expect(Model.train(tableFromBaskets(broken), { algorithm: 'gbdt', params: { nEstimators: 2 } })).rejects.toThrow(/non-finite value/);
  });

  it('unknown algorithms, unknown parameters and out-of-range values name the problem', () => {
    expect(() => resolveParams('svm')).toThrow('Unknown algorithm "svm": use one of logistic_regression, gbdt, random_forest, decision_tree');
    expect(() => resolveParams('gbdt', { depth: 3 })).toThrow(/Unknown parameter "depth" for gbdt: known are nEstimators/);
    expect(() => resolveParams('gbdt', { learningRate: '2' })).toThrow('Parameter learningRate must be ≤ 1 (got "2")');
    expect(() => resolveParams('gbdt', { maxDepth: '2.5' })).toThrow('Parameter maxDepth must be a whole number (got "2.5")');
    expect(() => resolveParams('random_forest', { maxFeatures: 'half' })).toThrow('Parameter maxFeatures must be one of sqrt, log2, all (got "half")');
    expect(resolveParams('gbdt', { learningRate: '0.05', productTags: 'false' })).toMatchObject({ learningRate: 0.05, productTags: false });
  });

  it('refuses a tampered, truncated, foreign or future-version artifact', async () => {
    const model = await Model.train(train, { algorithm: 'decision_tree' });
    const { text } = model.toArtifact();
    const doc = JSON.parse(text);
    doc.body.seed = 7;
    expect(() => Model.load(JSON.stringify(doc))).toThrow(/modified or corrupted: its sha256 is [0-9a-f]{64}, the seal says/);
    expect(() => Model.load(text.slice(0, text.length / 2))).toThrow(/not valid JSON .* truncated/);
    expect(() => Model.load(JSON.stringify({ hello: 'world' }))).toThrow('Not a model artifact (format is not pricesense-model)');
    expect(() => Model.load(text.replace('"schemaVersion":1', '"schemaVersion":2'))).toThrow(/schema version 2 is not supported/);
  });
});
