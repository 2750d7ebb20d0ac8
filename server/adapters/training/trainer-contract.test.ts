import { describe, expect, it } from 'vitest';
import { encodeHyperparameters, formatMetricLine, METRIC_DEFINITIONS, parseHyperparameters } from './trainer-contract';

/** SageMaker applies each definition's regex to every log line and keeps the first group. */
const extract = (line: string) =>
  Object.fromEntries(METRIC_DEFINITIONS.flatMap((d) => {
    const m = new RegExp(d.Regex).exec(line);
    return m ? [[d.Name, Number(m[1])]] : [];
  }));

describe('trainer hyperparameters', () => {
  it('round-trips through the all-string form SageMaker passes to the container', () => {
    const hp = { algorithm: 'gbdt', params: { nEstimators: 20, learningRate: 0.1, goss: true }, seed: 9, runId: 'r1', datasetVersionId: 'v1', dataHash: 'abc' };
    const encoded = encodeHyperparameters(hp);
    expect(Object.values(encoded).every((v) => typeof v === 'string')).toBe(true);
    expect(encoded).toMatchObject({ params: '{"nEstimators":20,"learningRate":0.1,"goss":true}', seed: '9', run_id: 'r1' });
    expect(parseHyperparameters(JSON.parse(JSON.stringify(encoded)))).toEqual(hp);
  });

  it('defaults params and seed, and names every bad field', () => {
    expect(parseHyperparameters({ algorithm: 'decision_tree', run_id: 'r', dataset_version_id: 'v' })).toEqual({ algorithm: 'decision_tree', params: {}, seed: 42, runId: 'r', datasetVersionId: 'v' });
    expect(() => parseHyperparameters({ algorithm: 'gbdt', params: '[1,2]', seed: '-1', dataset_version_id: 'v' })).toThrow(
      /^Invalid hyperparameters: params must be a JSON object \(got "\[1,2\]"\); seed must be a whole number ≥ 0; run_id .*$/,
    );
    expect(() => parseHyperparameters({ algorithm: 'gbdt', params: '{not json', run_id: 'r', dataset_version_id: 'v' })).toThrow(/params must be a JSON object/);
  });
});

describe('metric lines', () => {
  it('prints name=value pairs that the metric definitions read back', () => {
    const line = formatMetricLine({ accuracy: 0.8123456789, macro_f1: 0.5, weighted_f1: 0.75, log_loss: 1.25 }, 'final ');
    expect(line).toBe('final accuracy=0.812346 macro_f1=0.500000 weighted_f1=0.750000 log_loss=1.250000');
    expect(extract(line)).toEqual({ accuracy: 0.812346, macro_f1: 0.5, weighted_f1: 0.75, log_loss: 1.25 });
  });

  it('skips missing values, never prints an exponent, and does not read accuracy inside row_accuracy', () => {
    const line = formatMetricLine({ train_loss: 1e-7, validation_loss: undefined }, 'iteration=3/10 ');
    expect(line).toBe('iteration=3/10 train_loss=0.000000');
    expect(extract(line)).toEqual({ train_loss: 0 });
    expect(extract('row_accuracy=0.9 macro_f1=0.4')).toEqual({ macro_f1: 0.4 });
  });
});
