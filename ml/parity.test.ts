import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { binMatrix, fitBins } from './core/binning';
import { csr, dense } from './core/matrix';
import { Rng } from './core/random';
import { histogramLayout } from './gbdt/histogram';
import { LogisticRegression, LOGISTIC_DEFAULTS } from './linear/logistic-regression';
import { calibration, classificationReport, logLoss } from './metrics/classification';
import { growClassificationTree } from './tree/classification-tree';
import { DecisionTreeClassifier, DECISION_TREE_DEFAULTS } from './tree/decision-tree';

/** Reference results computed by scikit-learn (ml/fixtures/make_fixtures.py). */
const ref = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'fixtures', 'sklearn-reference.json'), 'utf8'));

function maxAbsDiff(a: number[][], b: number[][]) {
  let m = 0;
  a.forEach((row, i) => row.forEach((v, j) => (m = Math.max(m, Math.abs(v - b[i]![j]!)))));
  return m;
}

function probaRows(p: Float32Array, k: number) {
  return Array.from({ length: p.length / k }, (_, i) => Array.from(p.subarray(i * k, (i + 1) * k)));
}

describe('logistic regression matches scikit-learn (lbfgs, same C)', () => {
  for (const c of ref.logistic.cases as { C: number; class_weight: 'none' | 'balanced'; coef: number[][]; intercept: number[]; proba: number[][] }[]) {
    it(`C=${c.C}, class_weight=${c.class_weight}: coefficients and probabilities`, () => {
      const m = new LogisticRegression({ ...LOGISTIC_DEFAULTS, C: c.C, classWeight: c.class_weight, tol: 1e-12, maxIter: 5000 });
      const X = dense(ref.logistic.X);
      m.fit(X, ref.logistic.y, { classes: 3 });
      const { coef, intercept } = m.coefficients();
      expect(maxAbsDiff(coef, c.coef)).toBeLessThan(2e-3);
      expect(maxAbsDiff([intercept], [c.intercept])).toBeLessThan(2e-3);
      expect(maxAbsDiff(probaRows(m.predictProba(X), 3), c.proba)).toBeLessThan(1e-4);
    });
  }

  it('on sparse binary (CSR) input too', () => {
    const X = csr(ref.logistic_sparse.X, 30);
    const m = new LogisticRegression({ ...LOGISTIC_DEFAULTS, C: 1, tol: 1e-12, maxIter: 5000 });
    m.fit(X, ref.logistic_sparse.y, { classes: 3 });
    expect(maxAbsDiff(m.coefficients().coef, ref.logistic_sparse.coef)).toBeLessThan(2e-3);
    expect(maxAbsDiff(probaRows(m.predictProba(X), 3), ref.logistic_sparse.proba)).toBeLessThan(1e-4);
  });
});

describe('decision tree matches scikit-learn’s CART', () => {
  it('chooses the same splits (feature and threshold) and gives the same probabilities', () => {
    const X = dense(ref.tree.X);
    const bins = fitBins(X, 255, new Rng(1));
    const tree = growClassificationTree({
      X: binMatrix(X, bins), bins, layout: histogramLayout(bins.count), y: Int32Array.from(ref.tree.y), weight: new Float64Array(X.rows).fill(1), k: 3,
      params: { criterion: 'gini', maxDepth: 3, minSamplesSplit: 2, minSamplesLeaf: 1, minImpurityDecrease: 0, maxFeatures: 4 }, rng: new Rng(1),
    });
    // scikit-learn numbers nodes depth-first like we do; leaves have feature -2 there.
    const sk = ref.tree as { feature: number[]; threshold: number[] };
    expect(tree.feature.map((f) => (f < 0 ? -2 : f))).toEqual(sk.feature);
    tree.threshold.forEach((t, i) => {
      if (sk.feature[i]! >= 0) expect(t).toBeCloseTo(sk.threshold[i]!, 5);
    });
    const model = new DecisionTreeClassifier({ ...DECISION_TREE_DEFAULTS, maxDepth: 3, minSamplesLeaf: 1 });
    model.fit(X, ref.tree.y, { classes: 3 });
    expect(maxAbsDiff(probaRows(model.predictProba(X), 3), ref.tree.proba)).toBeLessThan(1e-6);
  });
});

describe('metrics match scikit-learn', () => {
  it('precision, recall, F1 (per class, macro, weighted), support and log loss', () => {
    const m = ref.metrics;
    const r = classificationReport(m.y_true, m.y_pred);
    expect(Object.values(r.per_class).map((c) => c.precision)).toEqual(m.precision.map((v: number) => expect.closeTo(v, 12)));
    expect(Object.values(r.per_class).map((c) => c.recall)).toEqual(m.recall.map((v: number) => expect.closeTo(v, 12)));
    expect(Object.values(r.per_class).map((c) => c.f1)).toEqual(m.f1.map((v: number) => expect.closeTo(v, 12)));
    expect(Object.values(r.per_class).map((c) => c.support)).toEqual(m.support);
    expect(r.macro_f1).toBeCloseTo(m.macro_f1, 12);
    expect(r.weighted_f1).toBeCloseTo(m.weighted_f1, 12);
    expect(r.confusion_matrix.matrix).toEqual([[2, 1, 0], [0, 3, 1], [1, 1, 3]]);
    expect(logLoss(m.y_true, Float64Array.from(m.proba.flat()), 3)).toBeCloseTo(m.log_loss, 10);
    const cal = calibration(m.y_true, Float64Array.from(m.proba.flat()));
    expect(cal.LA!.find((b) => b.count > 0 && b.lower === 0.8)).toMatchObject({ count: 3, fractionPositive: 2 / 3, meanPredicted: expect.closeTo(0.8, 6) });
  });
});
