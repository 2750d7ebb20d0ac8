/**
 * Seeded randomness for the synthetic generator: xoshiro128** (fast, 32-bit,
 * good statistical quality) seeded through splitmix32, plus the samplers the
 * generator needs. Pure TypeScript: same seed ⇒ same stream on every platform.
 */

const TWO_POW_32 = 4294967296;

/** splitmix32 step: turns any 32-bit value into a well-mixed one. */
function splitmix32(state: number): [next: number, output: number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [next, (z ^ (z >>> 16)) >>> 0];
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | null = null;

  /** `seed` is any safe integer; `stream` picks an independent sub-stream (world, baskets, …). */
  constructor(seed: number, stream = 0) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
    const low = seed >>> 0;
    const high = Math.floor(seed / TWO_POW_32) >>> 0;
    let state = low ^ Math.imul(high, 0x27d4eb2d) ^ Math.imul(stream + 1, 0x165667b1);
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [next, out] = splitmix32(state);
      state = next;
      words.push(out);
    }
    [this.a, this.b, this.c, this.d] = words as [number, number, number, number];
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1; // the all-zero state is a fixed point
  }

  /** Uniform 32-bit unsigned integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform in [0, 1), 32 bits of resolution (plenty for sampling). */
  next(): number {
    return this.nextU32() / TWO_POW_32;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [min, max] (inclusive). */
  intBetween(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Standard normal (Box–Muller, the second value is kept for the next call). */
  normal(): number {
    if (this.spareNormal !== null) {
      const spare = this.spareNormal;
      this.spareNormal = null;
      return spare;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  /** exp(N(mu, sigma²)): median e^mu. */
  lognormal(mu: number, sigma: number): number {
    return Math.exp(mu + sigma * this.normal());
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * Walker/Vose alias table: O(n) to build, O(1) per draw with one uniform.
 * Index i is drawn with probability weights[i] / sum(weights).
 */
export class AliasTable {
  readonly size: number;
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;

  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    if (n === 0) throw new RangeError('alias table needs at least one weight');
    let total = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i] ?? 0;
      if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`weight ${i} is not a finite non-negative number`);
      total += w;
    }
    if (total <= 0) throw new RangeError('alias table weights sum to zero');
    this.size = n;
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    const scaled = new Float64Array(n);
    const small = new Int32Array(n);
    const large = new Int32Array(n);
    let ns = 0;
    let nl = 0;
    for (let i = 0; i < n; i++) {
      scaled[i] = ((weights[i] ?? 0) * n) / total;
      if (scaled[i]! < 1) small[ns++] = i;
      else large[nl++] = i;
    }
    while (ns > 0 && nl > 0) {
      const s = small[--ns]!;
      const l = large[nl - 1]!;
      this.prob[s] = scaled[s]!;
      this.alias[s] = l;
      scaled[l] = scaled[l]! + scaled[s]! - 1;
      if (scaled[l]! < 1) {
        nl--;
        small[ns++] = l;
      }
    }
    // Leftovers are 1 up to rounding error.
    while (nl > 0) this.prob[large[--nl]!] = 1;
    while (ns > 0) this.prob[small[--ns]!] = 1;
  }

  sample(rng: Rng): number {
    const x = rng.next() * this.size;
    const i = Math.floor(x);
    return x - i < this.prob[i]! ? i : this.alias[i]!;
  }
}

/** Zipf-like popularity by rank: w(r) = 1 / (r + offset)^exponent, r = 1…n. */
export function zipfWeights(n: number, exponent: number, offset = 0): Float64Array {
  const weights = new Float64Array(n);
  for (let r = 1; r <= n; r++) weights[r - 1] = 1 / Math.pow(r + offset, exponent);
  return weights;
}

/** A Zipf sampler over ranks 0…n-1 (rank 0 the most popular). */
export function zipfSampler(n: number, exponent: number, offset = 0): AliasTable {
  return new AliasTable(zipfWeights(n, exponent, offset));
}

/** Fisher–Yates, in place. */
export function shuffleInPlace<T>(items: { [index: number]: T; length: number }, rng: Rng): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = items[i] as T;
    items[i] = items[j] as T;
    items[j] = tmp;
  }
}

/** `counts[i]` copies of i, shuffled: exact category totals in random order. */
export function shuffledCategories(counts: readonly number[], rng: Rng): Int32Array {
  const total = counts.reduce((a, b) => a + b, 0);
  const out = new Int32Array(total);
  let k = 0;
  counts.forEach((count, category) => {
    for (let j = 0; j < count; j++) out[k++] = category;
  });
  shuffleInPlace(out, rng);
  return out;
}
