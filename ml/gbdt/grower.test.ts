import { describe, expect, it } from 'vitest';
import { binMatrix, fitBins } from '../core/binning';
import { csr } from '../core/matrix';
import { Rng } from '../core/random';
import { gradientsKernel, kthSmallest } from './gbdt';
import { growTree, growTreesKernel, maxNodes, type GrowParams } from './grower';
import { buildHistogram, buildRootHistograms, globalBins, histogramLayout, rootSpace } from './histogram';
import { SERIAL } from '../core/parallel';

/** Sparse rows with a signal in features 0–2 and noise elsewhere; g, h like a softmax's. */
function problem(n = 3000, d = 12) {
  const rng = new Rng(7);
  const rows: Record<number, number>[] = [];
  const g = new Float32Array(n);
  const h = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const row: Record<number, number> = {};
    for (let f = 0; f < d; f++) if (rng.next() < 0.4) row[f] = Math.round(rng.next() * 50) / 10;
    rows.push(row);
    const p = 1 / (1 + Math.exp(-((row[0] ?? 0) - (row[1] ?? 0) + (row[2] ?? 0) * 0.5 - 1)));
    g[i] = p - (rng.next() < p ? 1 : 0);
    h[i] = Math.max(p * (1 - p), 1e-6);
  }
  const X = csr(rows, d);
  const bins = fitBins(X, 32, new Rng(1));
  return { binned: binMatrix(X, bins), layout: histogramLayout(bins.count), g, h, n, d };
}

const params: GrowParams = { maxDepth: 5, maxLeaves: 20, growth: 'lossguide', lambda: 1, gamma: 0, minChildWeight: 1e-3, minSamplesLeaf: 1, learningRate: 0.3 };

describe('kthSmallest', () => {
  it('is what sorting gives, with ties and at both ends', () => {
    const rng = new Rng(3);
    for (const length of [1, 2, 3, 10, 257, 5000]) {
      const values = Float32Array.from({ length }, () => Math.round(rng.next() * 40) / 4);
      const sorted = Float32Array.from(values).sort();
      for (const k of new Set([0, length - 1, length >> 1, Math.floor(length * 0.8)])) expect(kthSmallest(Float32Array.from(values), k), `length ${length}, k ${k}`).toBe(sorted[k]);
    }
  });
});

describe('tree growing', () => {
  it('histograms without row counts have the same gradient sums and no counts', () => {
    const { binned, layout, g, h, n } = problem();
    const rows = Int32Array.from({ length: n }, (_, i) => i);
    const counted = new Float64Array(3 * layout.totalBins);
    const bare = new Float64Array(3 * layout.totalBins);
    const a = buildHistogram(binned, layout, rows, 100, 2500, g, h, counted, undefined, undefined, undefined, true);
    const b = buildHistogram(binned, layout, rows, 100, 2500, g, h, bare, undefined, undefined, undefined, false);
    expect(b).toEqual(a);
    let rowsCounted = 0;
    for (let bin = 0; bin < layout.totalBins; bin++) {
      expect(bare[3 * bin]).toBe(counted[3 * bin]);
      expect(bare[3 * bin + 1]).toBe(counted[3 * bin + 1]);
      expect(bare[3 * bin + 2]).toBe(0);
      rowsCounted += counted[3 * bin + 2]!;
    }
    expect(rowsCounted).toBe(2400 * binned.cols);
  });

  it('without counts (minSamplesLeaf 1) never makes an empty leaf, and with minSamplesLeaf every leaf is that large', () => {
    const { binned, layout, g, h, n, d } = problem();
    const features = Int32Array.from({ length: d }, (_, i) => i);
    for (const minSamplesLeaf of [1, 40]) {
      const sizes: number[] = [];
      const tree = growTree(binned, layout, Int32Array.from({ length: n }, (_, i) => i), n, g, h, features, { ...params, minSamplesLeaf }, (_rows, from, to) => sizes.push(to - from));
      expect(sizes.length).toBeGreaterThan(5);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(n);
      expect(Math.min(...sizes)).toBeGreaterThanOrEqual(minSamplesLeaf);
      expect(tree.work).toBeGreaterThan(n);
    }
  });

  it('the several-trees kernel grows, for its thread, the tree growTree grows', () => {
    const { binned, layout, g, h, n, d } = problem();
    const gAll = new Float32Array(2 * n);
    gAll.set(g, n); // class 1's gradients; class 0's are zero
    const hAll = new Float32Array(2 * n);
    hAll.set(h, n);
    const sample = Int32Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 !== 0);
    const features = [0, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11];
    const m = maxNodes(params);
    const out = { outFeature: new Int32Array(m), outBin: new Int32Array(m), outLeft: new Int32Array(m), outRight: new Int32Array(m), outValue: new Float32Array(m), outGain: new Float32Array(m), outNodes: new Int32Array(1), outWork: new Float64Array(1) };
    growTreesKernel({
      rows: n, cols: d, indptr: binned.indptr, indices: binned.indices, bins: binned.bins, zeroBin: binned.zeroBin, columns: binned.columns ?? null,
      counts: layout.counts, gbin: globalBins(binned, layout), g: gAll, h: hAll, scores: new Float64Array(2 * n), k: 2, nTrain: n, treeRows: new Int32Array(n),
      ...params, classes: [1], sample, sampled: sample.length, features: [...features, ...features], featureStart: [0, features.length, 2 * features.length], ...out,
    }, 0, 1);
    const expected = growTree(binned, layout, Int32Array.from(sample), sample.length, g, h, Int32Array.from(features), params, () => {});
    const nodes = out.outNodes[0]!;
    expect(nodes).toBe(expected.feature.length);
    expect(nodes).toBeGreaterThan(5);
    expect(Array.from(out.outFeature.subarray(0, nodes))).toEqual(Array.from(expected.feature));
    expect(Array.from(out.outBin.subarray(0, nodes))).toEqual(Array.from(expected.bin));
    expect(Array.from(out.outLeft.subarray(0, nodes))).toEqual(Array.from(expected.left));
    expect(Array.from(out.outValue.subarray(0, nodes))).toEqual(Array.from(expected.value));
    expect(out.outWork[0]).toBe(expected.work);
    expect(expected.feature.includes(3)).toBe(false);
  });
});

describe('root histograms of all classes in one pass', () => {
  it.each([3, 4])('equal each class\'s own histogram (k = %i), with and without counts', (k) => {
    const { binned, layout, g, h, n } = problem();
    const gAll = new Float32Array(k * n);
    const hAll = new Float32Array(k * n);
    for (let c = 0; c < k; c++) {
      for (let i = 0; i < n; i++) {
        gAll[c * n + i] = g[(i + 97 * c) % n]!;
        hAll[c * n + i] = h[(i + 31 * c) % n]!;
      }
    }
    const rows = Int32Array.from({ length: n }, (_, i) => i).filter((i) => i % 4 !== 1);
    const gbin = globalBins(binned, layout);
    const size = 3 * layout.totalBins;
    for (const counted of [true, false]) {
      const space = rootSpace(SERIAL, layout, binned.zeroBin, k);
      const sums = buildRootHistograms(binned, gbin, rows, rows.length, gAll, hAll, n, k, counted, space);
      for (let c = 0; c < k; c++) {
        const want = new Float64Array(size);
        const totals = buildHistogram(binned, layout, rows, 0, rows.length, gAll.subarray(c * n, (c + 1) * n), hAll.subarray(c * n, (c + 1) * n), want, gbin, SERIAL, undefined, counted);
        expect(sums.G[c]).toBeCloseTo(totals.G, 9);
        expect(sums.H[c]).toBeCloseTo(totals.H, 9);
        const got = space.out.subarray(c * size, (c + 1) * size);
        let worst = 0;
        for (let i = 0; i < size; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
        expect(worst, `class ${c}, counted ${counted}`).toBeLessThan(1e-9);
      }
    }
  });
});

describe('softmax gradients from exp-scores', () => {
  it.each([3, 4])('match the exact softmax (k = %i), and recover when the exp-scores drift out of range', (k) => {
    const n = 50;
    const rng = new Rng(9);
    const scores = Float64Array.from({ length: n * k }, () => (rng.next() - 0.5) * 30);
    const y = Int32Array.from({ length: n }, () => Math.floor(rng.next() * k));
    const E = scores.map(Math.exp);
    // Rows whose factors drifted: scaled far up, far down, overflowed, and one whose true class underflowed.
    for (let c = 0; c < k; c++) {
      E[0 * k + c]! *= 1e120;
      E[1 * k + c]! *= 1e-120;
      E[2 * k + c] = Infinity;
    }
    E[3 * k + y[3]!] = 0;
    const run = (expScores: Float64Array) => {
      const args = { scores, expScores, magnitude: new Float32Array(n), y, isVal: new Uint8Array(n).map((_, i) => i % 5 === 0 ? 1 : 0), g: new Float32Array(k * n), h: new Float32Array(k * n), n, k, losses: new Float64Array(2) };
      gradientsKernel(args, 0, 1);
      return args;
    };
    const got = run(E);
    let train = 0;
    let val = 0;
    for (let i = 0; i < n; i++) {
      const z = Array.from(scores.subarray(i * k, (i + 1) * k));
      const max = Math.max(...z);
      const sum = z.reduce((a, v) => a + Math.exp(v - max), 0);
      let magnitude = 0;
      for (let c = 0; c < k; c++) {
        const p = Math.exp(z[c]! - max) / sum;
        const grad = p - (y[i] === c ? 1 : 0);
        magnitude += Math.abs(grad);
        expect(got.g[c * n + i]).toBeCloseTo(grad, 6);
        expect(got.h[c * n + i]).toBeCloseTo(Math.max(p * (1 - p), 1e-6), 6);
      }
      expect(got.magnitude[i]).toBeCloseTo(magnitude, 5);
      const nll = max + Math.log(sum) - z[y[i]!]!;
      if (i % 5 === 0) val += nll;
      else train += nll;
    }
    expect(got.losses[0]).toBeCloseTo(train, 8);
    expect(got.losses[1]).toBeCloseTo(val, 8);
    expect(Array.from(E).every((v) => Number.isFinite(v))).toBe(true);
  });
});
