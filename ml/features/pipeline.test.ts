import { describe, expect, it } from 'vitest';
import { syntheticBaskets } from '@/test/synthetic-baskets';
import { tableFromBaskets } from '../data/basket-table';
import { FeaturePipeline, type PipelineConfig } from './pipeline';

const train = tableFromBaskets(syntheticBaskets({ baskets: 1500, seed: 4 }));
const requests = syntheticBaskets({ baskets: 200, seed: 5 });
// Unknown product, unknown category and context values, no optional fields at all.
requests.push({ storeFormat: 'HUGE', storeRegion: 'MARS', lines: [{ prod: 'PRD-NEW', p10: 'CL-NEW', quantity: 2, spend: 3 }, { prod: 'PRD00001', quantity: 1, spend: 0.5 }] });
requests.push({ lines: [{ prod: 'PRD00002', quantity: 3, spend: 1 }, { prod: 'PRD00002', quantity: 1, spend: 1 }] });

const CONFIGS: Partial<PipelineConfig>[] = [
  {},
  { products: 'count', targetEncoding: true },
  { products: 'share', productTags: false, context: false },
  { products: 'none', categoryShares: false, aggregates: false, targetEncoding: true },
];

describe('feature pipeline', () => {
  it.each(CONFIGS)('request objects and tables give identical features (%o)', (config) => {
    const { pipeline, X } = FeaturePipeline.fitTransform(train, config, 1);
    expect(X.rows).toBeGreaterThan(1400);
    const fromTable = pipeline.transform(tableFromBaskets(requests));
    const fromObjects = pipeline.transformBaskets(requests);
    expect(fromObjects.X.cols).toBe(pipeline.numFeatures);
    expect(Array.from(fromObjects.X.indptr)).toEqual(Array.from(fromTable.X.indptr));
    expect(Array.from(fromObjects.X.indices)).toEqual(Array.from(fromTable.X.indices));
    expect(Array.from(fromObjects.X.values)).toEqual(Array.from(fromTable.X.values));
    expect(fromObjects.stats).toEqual(fromTable.stats);
    expect(fromObjects.stats.unknownProductLines).toBe(1);
    // The single-basket dense path writes the same values.
    requests.slice(0, 25).concat(requests.slice(-2)).forEach((basket) => {
      const sparse = pipeline.transformBaskets([basket]).X;
      const expected = new Float32Array(pipeline.numFeatures);
      sparse.indices.forEach((c, i) => (expected[c] = sparse.values[i]!));
      expect(Array.from(pipeline.transformBasketDense(basket).X.data)).toEqual(Array.from(expected));
    });
  });

  it('counts quantities per product and shares per category level', () => {
    const { pipeline } = FeaturePipeline.fitTransform(train, { products: 'count' }, 1);
    const { X } = pipeline.transformBaskets([requests.at(-1)!]);
    const name = (col: number) => pipeline.featureNames[col]!;
    const row = Object.fromEntries(Array.from(X.indices, (c, i) => [name(c), X.values[i]]));
    expect(row['prod=PRD00002']).toBe(4);
    expect(row.log_lines).toBeCloseTo(Math.log(3), 6);
  });
});
