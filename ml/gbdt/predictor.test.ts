import { describe, expect, it } from 'vitest';
import { Rng } from '../core/random';
import { syntheticBaskets } from '@/test/synthetic-baskets';
import { tableFromBaskets } from '../data/basket-table';
import { FeaturePipeline } from '../features/pipeline';
import { GradientBoostingClassifier, GBDT_DEFAULTS, predictDense } from './gbdt';
import { floorFloat32, PackedForest } from './predictor';

describe('packed forest', () => {
  it('floorFloat32 is the largest float32 not above x', () => {
    const rng = new Rng(3);
    const up = (v: number) => {
      const f = new Float32Array([v]);
      const b = new Int32Array(f.buffer);
      if (v === 0) b[0] = 1;
      else b[0]! += v > 0 ? 1 : -1;
      return f[0]!;
    };
    for (let i = 0; i < 20_000; i++) {
      const x = (rng.next() - 0.5) * 10 ** Math.floor(rng.next() * 12 - 6);
      const r = floorFloat32(x);
      expect(Math.fround(r)).toBe(r);
      expect(r).toBeLessThanOrEqual(x);
      expect(up(r)).toBeGreaterThan(x);
    }
    expect(floorFloat32(0)).toBe(0);
    expect(floorFloat32(Infinity)).toBe(Infinity);
  });

  it('walks to the same leaves as the float64 trees it was packed from', () => {
    const table = tableFromBaskets(syntheticBaskets({ baskets: 3000, seed: 6 }));
    const { X, y } = FeaturePipeline.fitTransform(table, { targetEncoding: true, products: 'none' }, 1);
    const gb = new GradientBoostingClassifier({ ...GBDT_DEFAULTS, nEstimators: 20, validationFraction: 0 });
    gb.fit(X, y, { classes: 3 });
    const trees = gb.toJSON().trees;
    const forest = new PackedForest(trees);
    const row = new Float32Array(X.cols);
    for (let i = 0; i < X.rows; i++) {
      row.fill(0);
      for (let p = X.indptr[i]!; p < X.indptr[i + 1]!; p++) row[X.indices[p]!] = X.values[p]!;
      const packed = new Float64Array(3);
      forest.accumulate(row, packed, 0, 3);
      const reference = new Float64Array(3);
      trees.forEach((tree, t) => (reference[t % 3]! += predictDense(tree, row)));
      expect(Array.from(packed)).toEqual(Array.from(reference));
    }
  });

  it('packs a node in 8 bytes, and says so when a forest is too large for that', () => {
    // A stump on feature f: root, then two leaves.
    const stump = (f: number) => ({ feature: [f, -1, -1], threshold: [0.5, 0, 0], bin: [0, 0, 0], left: [1, -1, -1], right: [2, -1, -1], value: [0, -1, 1] });
    const forest = new PackedForest([stump(3), stump(0)]);
    expect([forest.nodes.length, forest.leaves.length]).toEqual([12, 4]);
    const scores = new Float64Array(1);
    forest.accumulate(new Float32Array([1, 0, 0, 0]), scores, 0, 1);
    expect(scores[0]).toBe(-1 + 1);
    expect(() => new PackedForest([stump(2 ** 29)])).toThrow(/too large to pack/);
  });
});
