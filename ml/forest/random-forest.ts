import { binMatrix, fitBins } from '../core/binning';
import { MlError, throwIfAborted } from '../core/errors';
import { assertFinite, assertTrainingSet, type Matrix } from '../core/matrix';
import { Rng } from '../core/random';
import type { Classifier, FitOptions } from '../estimator';
import { clearRow, denseRow } from '../gbdt/gbdt';
import { histogramLayout } from '../gbdt/histogram';
import { growClassificationTree, predictTree, type FlatTree } from '../tree/classification-tree';
import { classWeights, normalise, treeImportance } from '../tree/decision-tree';

/**
 * Random forest: trees grown on bootstrap samples, each split choosing among a
 * random subset of features; probabilities are the average of the trees' leaf
 * distributions (as scikit-learn's RandomForestClassifier).
 */
export type RandomForestParams = {
  nEstimators: number;
  criterion: 'gini' | 'entropy';
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  maxFeatures: 'sqrt' | 'log2' | 'all' | number;
  bootstrap: boolean;
  /** Fraction of rows drawn per tree (with replacement when bootstrapping). */
  maxSamples: number;
  classWeight: 'none' | 'balanced';
  maxBins: number;
  seed: number;
};

export const RANDOM_FOREST_DEFAULTS: RandomForestParams = {
  nEstimators: 50,
  criterion: 'gini',
  maxDepth: 16,
  minSamplesSplit: 2,
  minSamplesLeaf: 2,
  maxFeatures: 'sqrt',
  bootstrap: true,
  maxSamples: 1,
  classWeight: 'none',
  maxBins: 255,
  seed: 42,
};

type State = { kind: 'random_forest'; params: RandomForestParams; classes: number; features: number; trees: FlatTree[]; importance: number[] };

export function featuresPerSplit(mode: RandomForestParams['maxFeatures'], d: number): number {
  if (mode === 'all') return d;
  if (mode === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(d)));
  if (mode === 'log2') return Math.max(1, Math.floor(Math.log2(d)));
  return Math.max(1, Math.min(d, mode < 1 ? Math.floor(mode * d) : Math.floor(mode)));
}

export class RandomForestClassifier implements Classifier {
  readonly kind = 'random_forest';
  private trees: FlatTree[] = [];
  private classes = 0;
  private features = 0;
  private importance = new Float64Array(0);

  constructor(readonly params: RandomForestParams = RANDOM_FOREST_DEFAULTS) {
    if (!(params.nEstimators >= 1)) throw new MlError('INVALID_PARAM', `nEstimators must be ≥ 1 (got ${params.nEstimators})`);
    if (!(params.maxSamples > 0 && params.maxSamples <= 1)) throw new MlError('INVALID_PARAM', `maxSamples must be in (0, 1] (got ${params.maxSamples})`);
  }

  fit(X: Matrix, y: ArrayLike<number>, opts: FitOptions): void {
    const k = opts.classes;
    assertTrainingSet(X, y, k);
    const p = this.params;
    const rng = new Rng(p.seed);
    const bins = fitBins(X, p.maxBins, rng);
    const binned = binMatrix(X, bins);
    const layout = histogramLayout(bins.count);
    const yi = Int32Array.from(y);
    const base = classWeights(y, k, p.classWeight);
    const maxFeatures = featuresPerSplit(p.maxFeatures, X.cols);
    const draws = Math.max(1, Math.floor(X.rows * p.maxSamples));
    const importance = new Float64Array(X.cols);
    this.trees = [];
    for (let t = 0; t < p.nEstimators; t++) {
      throwIfAborted(opts.signal);
      const treeRng = rng.fork();
      const weight = new Float64Array(X.rows);
      if (p.bootstrap) for (let i = 0; i < draws; i++) weight[treeRng.int(X.rows)]! += 1;
      else for (const i of treeRng.sample(X.rows, draws)) weight[i] = 1;
      for (let i = 0; i < X.rows; i++) weight[i]! *= base[i]!;
      const tree = growClassificationTree({ X: binned, bins, layout, y: yi, weight, k, params: { ...p, maxFeatures, minImpurityDecrease: 0 }, rng: treeRng, signal: opts.signal });
      treeImportance(tree, X.cols, importance);
      this.trees.push(tree);
      opts.onProgress?.({ iteration: t + 1, totalIterations: p.nEstimators });
    }
    this.classes = k;
    this.features = X.cols;
    this.importance = importance;
  }

  predictProba(X: Matrix): Float32Array {
    if (X.cols !== this.features) throw new MlError('INVALID_DATA', `X has ${X.cols} features, the model was fitted on ${this.features}`);
    assertFinite(X);
    const k = this.classes;
    const out = new Float32Array(X.rows * k);
    const row = new Float32Array(X.cols);
    const acc = new Float64Array(k);
    const w = 1 / this.trees.length;
    for (let i = 0; i < X.rows; i++) {
      denseRow(X, i, row);
      acc.fill(0);
      for (const tree of this.trees) predictTree(tree, row, k, acc, w);
      for (let c = 0; c < k; c++) out[i * k + c] = acc[c]!;
      clearRow(X, i, row);
    }
    return out;
  }

  featureImportance(): Float64Array {
    return normalise(this.importance);
  }

  toJSON(): State {
    return { kind: 'random_forest', params: this.params, classes: this.classes, features: this.features, trees: this.trees, importance: Array.from(this.importance) };
  }

  static fromJSON(state: State) {
    const model = new RandomForestClassifier(state.params);
    model.trees = state.trees;
    model.classes = state.classes;
    model.features = state.features;
    model.importance = Float64Array.from(state.importance);
    return model;
  }
}
