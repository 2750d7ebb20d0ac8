import type { BasketInput } from '../ml/data/basket-table';
import { Rng } from '../ml/core/random';

/**
 * Small in-memory baskets with the structure of the real data: products carry a
 * tag (LA, MM, UM or none) and a basket's label follows from the balance of its
 * tagged lines. Enough to test every estimator in seconds.
 */
export function syntheticBaskets(opts: { baskets: number; products?: number; seed?: number; weeks?: [number, number] }): BasketInput[] {
  const rng = new Rng(opts.seed ?? 1);
  const nProducts = opts.products ?? 300;
  // The products' tags are fixed (one "world"), whatever the seed of the baskets.
  const world = new Rng(42);
  const tags = Array.from({ length: nProducts }, () => {
    const u = world.next();
    return u < 0.15 ? 'LA' : u < 0.75 ? 'MM' : u < 0.9 ? 'UM' : 'none';
  });
  const [w0, w1] = opts.weeks ?? [200601, 200620];
  const out: BasketInput[] = [];
  for (let b = 0; b < opts.baskets; b++) {
    const n = 1 + Math.floor(rng.next() ** 2 * 12);
    const chosen = new Set<number>();
    while (chosen.size < Math.min(n, nProducts)) chosen.add(Math.floor(rng.next() ** 1.5 * nProducts));
    let um = 0, la = 0, tagged = 0;
    const lines = [...chosen].map((p) => {
      const tag = tags[p]!;
      if (tag !== 'none') tagged++;
      if (tag === 'UM') um++;
      if (tag === 'LA') la++;
      return { prod: `PRD${String(p).padStart(5, '0')}`, p10: `CL${String(p % 20).padStart(3, '0')}`, p20: `DEP${p % 7}`, p30: `G${p % 4}`, p40: `D${p % 2}`, quantity: 1 + (p % 3 === 0 ? 2 : 0), spend: 0.5 + (p % 17) / 4 };
    });
    const balance = tagged ? (um - la) / tagged : 0;
    const label = balance > 0.18 ? 'UM' : balance < -0.23 ? 'LA' : 'MM';
    out.push({
      basketId: String(1000 + b), week: w0 + Math.floor(((w1 - w0 + 1) * b) / opts.baskets), hour: 8 + (b % 14), weekday: 1 + (b % 7),
      storeFormat: ['LS', 'MS', 'SS'][b % 3]!, storeRegion: ['E01', 'W02'][b % 2]!, basketSize: n <= 2 ? 'S' : n <= 6 ? 'M' : 'L', basketType: 'Top Up', mission: 'Fresh',
      seg1: b % 5 ? 'CT' : null, seg2: null, label: b % 50 === 49 ? 'XX' : label, lines,
    });
  }
  return out;
}
