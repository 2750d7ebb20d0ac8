import { describe, expect, it } from 'vitest';
import { binIn, sortFloat32 } from './binning';
import { Rng } from './random';

describe('sortFloat32', () => {
  it('sorts like the built-in sort: negatives, zeros, duplicates, tiny and huge values', () => {
    const rng = new Rng(11);
    for (const n of [0, 1, 5, 255, 256, 1000, 50_000]) {
      const values = Float32Array.from({ length: n }, (_, i) => {
        const u = rng.next();
        if (i % 17 === 0) return 0;
        if (i % 13 === 0) return -0;
        if (i % 11 === 0) return 1e-40 * (u - 0.5); // subnormal
        if (i % 7 === 0) return Math.round(u * 5); // duplicates
        return (u - 0.3) * 10 ** Math.floor(rng.next() * 60 - 30);
      });
      const want = Float32Array.from(values).sort();
      const got = Float32Array.from(values);
      sortFloat32(got, new Uint32Array(n));
      expect(Buffer.from(got.buffer).equals(Buffer.from(want.buffer)), `n = ${n}`).toBe(true);
    }
  });
});

describe('binIn', () => {
  it('is the index of the first edge not below x, as a linear scan finds it', () => {
    const rng = new Rng(5);
    for (let trial = 0; trial < 200; trial++) {
      const edges = Float32Array.from({ length: Math.floor(rng.next() * 40) }, () => Math.round(rng.next() * 100) / 4).sort();
      const padded = new Float32Array(edges.length + 6);
      padded.set(edges, 3);
      for (let q = 0; q < 30; q++) {
        const x = q % 3 === 0 && edges.length ? edges[Math.floor(rng.next() * edges.length)]! : rng.next() * 30 - 2;
        let want = 0;
        while (want < edges.length && edges[want]! < x) want++;
        expect(binIn(padded, 3, 3 + edges.length, x)).toBe(want);
      }
    }
  });
});
