import { MlError } from './core/errors';
import type { Classifier } from './estimator';
import type { PipelineConfig } from './features/pipeline';
import { RandomForestClassifier, RANDOM_FOREST_DEFAULTS } from './forest/random-forest';
import { GradientBoostingClassifier, GBDT_DEFAULTS } from './gbdt/gbdt';
import { LogisticRegression, LOGISTIC_DEFAULTS } from './linear/logistic-regression';
import { DecisionTreeClassifier, DECISION_TREE_DEFAULTS } from './tree/decision-tree';

/**
 * The algorithms, their parameters (type, default, range, help — the UI builds
 * its forms and the sweeps their search spaces from this), the feature pipeline
 * each uses by default, and how to build or restore each model.
 */
export const ALGORITHMS = ['logistic_regression', 'gbdt', 'random_forest', 'decision_tree'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];
export const DEFAULT_ALGORITHM: Algorithm = 'gbdt';

export type ParamValue = number | string | boolean;
export type ParamSpec = {
  name: string;
  type: 'number' | 'integer' | 'enum' | 'boolean';
  default: ParamValue;
  min?: number;
  max?: number;
  options?: readonly string[];
  /** Search on a log scale in random sweeps. */
  log?: boolean;
  group: 'model' | 'features';
  help: string;
};

export type EstimatorSpec = {
  algorithm: Algorithm;
  label: string;
  summary: string;
  params: ParamSpec[];
  create(params: Record<string, ParamValue>, seed: number): Classifier;
  restore(state: unknown): Classifier;
};

const featureParams = (defaults: Pick<PipelineConfig, 'products' | 'productTags' | 'targetEncoding' | 'categoryShares' | 'aggregates' | 'context'>): ParamSpec[] => [
  { name: 'products', type: 'enum', default: defaults.products, options: ['presence', 'share', 'count', 'none'], group: 'features', help: 'Sparse product block: presence (1), share (1/lines), quantity, or none.' },
  { name: 'productTags', type: 'boolean', default: defaults.productTags, group: 'features', help: 'Learned product tags and the basket tag balance (the strongest signal in this data).' },
  { name: 'targetEncoding', type: 'boolean', default: defaults.targetEncoding, group: 'features', help: 'Out-of-fold per-product class rates, summarised per basket.' },
  { name: 'categoryShares', type: 'boolean', default: defaults.categoryShares, group: 'features', help: 'Share of lines per PROD_CODE_10/20/30/40 category.' },
  { name: 'aggregates', type: 'boolean', default: defaults.aggregates, group: 'features', help: 'Lines, spend, quantity, unknown-product share, hour, customer segment present.' },
  { name: 'context', type: 'boolean', default: defaults.context, group: 'features', help: 'Store format and region, basket size/type/mission, customer segments, weekday (one-hot).' },
  { name: 'minProductBaskets', type: 'integer', default: 1, min: 1, max: 1000, group: 'features', help: 'A product enters the vocabulary when it appears in at least this many training baskets.' },
];

const num = (p: Record<string, ParamValue>, k: string) => p[k] as number;
const str = <T extends string>(p: Record<string, ParamValue>, k: string) => p[k] as T;

export const ESTIMATORS: Record<Algorithm, EstimatorSpec> = {
  logistic_regression: {
    algorithm: 'logistic_regression',
    label: 'Logistic regression',
    summary: 'Multinomial, L2 or L1, L-BFGS on sparse product presence plus learned tags. Fast, well calibrated.',
    params: [
      { name: 'C', type: 'number', default: 10, min: 1e-4, max: 1e6, log: true, group: 'model', help: 'Inverse regularisation strength (scikit-learn’s C): larger fits the data more closely.' },
      { name: 'penalty', type: 'enum', default: 'l2', options: ['l2', 'l1', 'none'], group: 'model', help: 'Penalty on the weights.' },
      { name: 'maxIter', type: 'integer', default: 300, min: 1, max: 10_000, group: 'model', help: 'L-BFGS iterations at most.' },
      { name: 'tol', type: 'number', default: 1e-4, min: 1e-10, max: 1, log: true, group: 'model', help: 'Stop when the gradient is this small (scikit-learn’s tol).' },
      { name: 'classWeight', type: 'enum', default: 'none', options: ['none', 'balanced'], group: 'model', help: 'Weigh classes inversely to their frequency.' },
      ...featureParams({ products: 'presence', productTags: true, targetEncoding: false, categoryShares: false, aggregates: false, context: false }),
    ],
    create: (p) => new LogisticRegression({ ...LOGISTIC_DEFAULTS, C: num(p, 'C'), penalty: str(p, 'penalty'), maxIter: num(p, 'maxIter'), tol: num(p, 'tol'), classWeight: str(p, 'classWeight') }),
    restore: (s) => LogisticRegression.fromJSON(s as Parameters<typeof LogisticRegression.fromJSON>[0]),
  },
  gbdt: {
    algorithm: 'gbdt',
    label: 'Gradient boosting',
    summary: 'Histogram gradient boosting, softmax loss, early stopping on a validation split.',
    params: [
      { name: 'nEstimators', type: 'integer', default: 100, min: 1, max: 5000, group: 'model', help: 'Boosting rounds at most (one tree per class each).' },
      { name: 'learningRate', type: 'number', default: 0.3, min: 1e-4, max: 1, log: true, group: 'model', help: 'Shrinkage applied to each tree.' },
      { name: 'maxDepth', type: 'integer', default: 6, min: 1, max: 32, group: 'model', help: 'Depth limit of each tree.' },
      { name: 'maxLeaves', type: 'integer', default: 31, min: 2, max: 4096, group: 'model', help: 'Leaves per tree at most.' },
      { name: 'growth', type: 'enum', default: 'lossguide', options: ['lossguide', 'depthwise'], group: 'model', help: 'Best-first (LightGBM) or level by level (XGBoost depthwise).' },
      { name: 'maxBins', type: 'integer', default: 255, min: 2, max: 255, group: 'model', help: 'Histogram bins per feature.' },
      { name: 'lambda', type: 'number', default: 1, min: 0, max: 1000, group: 'model', help: 'L2 penalty on leaf values.' },
      { name: 'gamma', type: 'number', default: 0, min: 0, max: 100, group: 'model', help: 'Minimum loss reduction to split.' },
      { name: 'minSamplesLeaf', type: 'integer', default: 20, min: 1, max: 100_000, group: 'model', help: 'Rows per leaf at least.' },
      { name: 'subsample', type: 'number', default: 1, min: 0.05, max: 1, group: 'model', help: 'Fraction of rows per round.' },
      { name: 'colsampleBytree', type: 'number', default: 1, min: 0.05, max: 1, group: 'model', help: 'Fraction of features per tree.' },
      { name: 'validationFraction', type: 'number', default: 0.1, min: 0, max: 0.5, group: 'model', help: 'Rows held out for early stopping (0 = off).' },
      { name: 'nIterNoChange', type: 'integer', default: 10, min: 1, max: 1000, group: 'model', help: 'Stop after this many rounds without validation improvement.' },
      ...featureParams({ products: 'none', productTags: true, targetEncoding: true, categoryShares: false, aggregates: true, context: true }),
    ],
    create: (p, seed) => new GradientBoostingClassifier({
      ...GBDT_DEFAULTS, nEstimators: num(p, 'nEstimators'), learningRate: num(p, 'learningRate'), maxDepth: num(p, 'maxDepth'), maxLeaves: num(p, 'maxLeaves'),
      growth: str(p, 'growth'), maxBins: num(p, 'maxBins'), lambda: num(p, 'lambda'), gamma: num(p, 'gamma'), minSamplesLeaf: num(p, 'minSamplesLeaf'),
      subsample: num(p, 'subsample'), colsampleBytree: num(p, 'colsampleBytree'), validationFraction: num(p, 'validationFraction'), nIterNoChange: num(p, 'nIterNoChange'), seed,
    }),
    restore: (s) => GradientBoostingClassifier.fromJSON(s as Parameters<typeof GradientBoostingClassifier.fromJSON>[0]),
  },
  random_forest: {
    algorithm: 'random_forest',
    label: 'Random forest',
    summary: 'Bagged CART trees with random feature subsets per split.',
    params: [
      { name: 'nEstimators', type: 'integer', default: 50, min: 1, max: 2000, group: 'model', help: 'Number of trees.' },
      { name: 'maxDepth', type: 'integer', default: 12, min: 1, max: 64, group: 'model', help: 'Depth limit of each tree.' },
      { name: 'minSamplesLeaf', type: 'integer', default: 5, min: 1, max: 100_000, group: 'model', help: 'Rows per leaf at least.' },
      { name: 'maxFeatures', type: 'enum', default: 'sqrt', options: ['sqrt', 'log2', 'all'], group: 'model', help: 'Features considered per split.' },
      { name: 'criterion', type: 'enum', default: 'gini', options: ['gini', 'entropy'], group: 'model', help: 'Split quality measure.' },
      { name: 'maxSamples', type: 'number', default: 1, min: 0.01, max: 1, group: 'model', help: 'Fraction of rows drawn (with replacement) per tree.' },
      { name: 'classWeight', type: 'enum', default: 'none', options: ['none', 'balanced'], group: 'model', help: 'Weigh classes inversely to their frequency.' },
      ...featureParams({ products: 'none', productTags: true, targetEncoding: true, categoryShares: false, aggregates: true, context: true }),
    ],
    create: (p, seed) => new RandomForestClassifier({
      ...RANDOM_FOREST_DEFAULTS, nEstimators: num(p, 'nEstimators'), maxDepth: num(p, 'maxDepth'), minSamplesLeaf: num(p, 'minSamplesLeaf'),
      maxFeatures: str<'sqrt' | 'log2' | 'all'>(p, 'maxFeatures'), criterion: str(p, 'criterion'), maxSamples: num(p, 'maxSamples'), classWeight: str(p, 'classWeight'), seed,
    }),
    restore: (s) => RandomForestClassifier.fromJSON(s as Parameters<typeof RandomForestClassifier.fromJSON>[0]),
  },
  decision_tree: {
    algorithm: 'decision_tree',
    label: 'Decision tree',
    summary: 'A single CART tree: the interpretable baseline.',
    params: [
      { name: 'maxDepth', type: 'integer', default: 12, min: 1, max: 64, group: 'model', help: 'Depth limit.' },
      { name: 'minSamplesLeaf', type: 'integer', default: 5, min: 1, max: 100_000, group: 'model', help: 'Rows per leaf at least.' },
      { name: 'minSamplesSplit', type: 'integer', default: 2, min: 2, max: 100_000, group: 'model', help: 'Rows a node needs to be split.' },
      { name: 'criterion', type: 'enum', default: 'gini', options: ['gini', 'entropy'], group: 'model', help: 'Split quality measure.' },
      { name: 'classWeight', type: 'enum', default: 'none', options: ['none', 'balanced'], group: 'model', help: 'Weigh classes inversely to their frequency.' },
      ...featureParams({ products: 'none', productTags: true, targetEncoding: true, categoryShares: false, aggregates: true, context: true }),
    ],
    create: (p, seed) => new DecisionTreeClassifier({
      ...DECISION_TREE_DEFAULTS, maxDepth: num(p, 'maxDepth'), minSamplesLeaf: num(p, 'minSamplesLeaf'), minSamplesSplit: num(p, 'minSamplesSplit'),
      criterion: str(p, 'criterion'), classWeight: str(p, 'classWeight'), seed,
    }),
    restore: (s) => DecisionTreeClassifier.fromJSON(s as Parameters<typeof DecisionTreeClassifier.fromJSON>[0]),
  },
};

export function estimatorSpec(algorithm: string): EstimatorSpec {
  if (!(ALGORITHMS as readonly string[]).includes(algorithm)) {
    throw new MlError('INVALID_PARAM', `Unknown algorithm "${algorithm}": use one of ${ALGORITHMS.join(', ')}`);
  }
  return ESTIMATORS[algorithm as Algorithm];
}

/**
 * Defaults merged with the given values, each checked against its spec. Strings
 * (from the CLI's key=value) are converted; unknown names and out-of-range values
 * are refused with a message naming the parameter.
 */
export function resolveParams(algorithm: string, given: Record<string, unknown> = {}): Record<string, ParamValue> {
  const spec = estimatorSpec(algorithm);
  const out: Record<string, ParamValue> = Object.fromEntries(spec.params.map((p) => [p.name, p.default]));
  for (const [name, raw] of Object.entries(given)) {
    const param = spec.params.find((p) => p.name === name);
    if (!param) throw new MlError('INVALID_PARAM', `Unknown parameter "${name}" for ${algorithm}: known are ${spec.params.map((p) => p.name).join(', ')}`);
    out[name] = checkValue(param, raw);
  }
  return out;
}

function checkValue(param: ParamSpec, raw: unknown): ParamValue {
  const fail = (why: string): never => {
    throw new MlError('INVALID_PARAM', `Parameter ${param.name} ${why} (got ${JSON.stringify(raw)})`);
  };
  if (param.type === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    return fail('must be true or false');
  }
  if (param.type === 'enum') {
    if (typeof raw !== 'string' || !param.options!.includes(raw)) return fail(`must be one of ${param.options!.join(', ')}`);
    return raw;
  }
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isFinite(value)) return fail('must be a number');
  if (param.type === 'integer' && !Number.isInteger(value)) return fail('must be a whole number');
  if (param.min !== undefined && value < param.min) return fail(`must be ≥ ${param.min}`);
  if (param.max !== undefined && value > param.max) return fail(`must be ≤ ${param.max}`);
  return value;
}

/** The feature pipeline configuration a parameter set asks for. */
export function pipelineConfigOf(params: Record<string, ParamValue>): Partial<PipelineConfig> {
  return {
    products: params.products as PipelineConfig['products'],
    productTags: params.productTags as boolean,
    targetEncoding: params.targetEncoding as boolean,
    categoryShares: params.categoryShares as boolean,
    aggregates: params.aggregates as boolean,
    context: params.context as boolean,
    minProductBaskets: params.minProductBaskets as number,
  };
}
