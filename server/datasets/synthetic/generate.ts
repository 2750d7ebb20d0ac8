/**
 * Synthetic dunnhumby-format rows, calibrated to the real files
 * (../shared/data/dunnhumby/README.md). Baskets are drawn one at a time: basket
 * attributes first, then a label, then products whose tags agree with the label
 * under the hand rule in ~97% of labelled baskets (the real data's signal).
 * Output is CSV text in ~64 KB chunks, byte-identical for the same options.
 */
import { CODE_SETS, HEADER_LINE, isValidShopWeek, type Label } from '../schema';
import { AliasTable, Rng } from './random';
import { buildWorld, TAG_LA, TAG_MM, TAG_UM, type World } from './world';

export interface GenerateOptions {
  rows: number;
  seed: number;
  /** Number of shop weeks; default clamp(round(rows / 27000), 4, 113). */
  weeks?: number;
  /** First shop week, YYYYWW; default 200607. */
  startWeek?: number;
}

export interface GenerateStats {
  rows: number;
  baskets: number;
  /** Baskets per label, indexed like CODE_SETS.BASKET_PRICE_SENSITIVITY (LA, MM, UM, XX). */
  basketsByLabel: [number, number, number, number];
  firstWeek: number | null;
  lastWeek: number | null;
}

/** Bad generator input; `option` names the CLI option. */
export class GenerateOptionError extends Error {
  constructor(readonly option: string, message: string) {
    super(`${option}: ${message}`);
    this.name = 'GenerateOptionError';
  }
}

export const DEFAULT_START_WEEK = 200607;
export const MAX_WEEKS = 520;
export const MAX_ROWS = 1_000_000_000;
const CHUNK_BYTES = 64 * 1024;
/** Room for the largest basket (87 lines of < 256 bytes) past CHUNK_BYTES. */
const CHUNK_CAPACITY = CHUNK_BYTES + 32 * 1024;

// ---- The hand rule: the label from the balance of tagged lines ----------------

/** Best threshold on the real rows: |score| ≥ 0.2 scores 0.971 on labelled baskets. */
export const HAND_RULE_THRESHOLD = 0.2;

/** (#UM-tagged − #LA-tagged) / #lines → UM at ≥ +0.2, LA at ≤ −0.2, else MM. */
export function handRuleFromCounts(um: number, la: number, lines: number): Label {
  const score = (um - la) / lines;
  return score >= HAND_RULE_THRESHOLD ? 'UM' : score <= -HAND_RULE_THRESHOLD ? 'LA' : 'MM';
}

export function handRuleLabel(tags: readonly string[]): Label {
  let um = 0;
  let la = 0;
  for (const tag of tags) {
    if (tag === 'UM') um++;
    else if (tag === 'LA') la++;
  }
  return handRuleFromCounts(um, la, tags.length);
}

// ---- Calibration tables (basket counts measured on the real files) ------------

const SIZE_BASKETS = [103090, 158506, 130914]; // S, M, L
/** BASKET_TYPE by size, in CODE_SETS order: Full Shop, Top Up, Small Shop, XX. */
const TYPE_BY_SIZE = [[0, 0, 99708, 3382], [0, 42971, 114102, 1433], [42197, 85991, 2587, 139]];
/** BASKET_DOMINANT_MISSION by type, in CODE_SETS order: Fresh, Mixed, Grocery, Nonfood, XX. */
const MISSION_BY_TYPE = [[17380, 22697, 2106, 14, 0], [67359, 43689, 16595, 1319, 0], [115002, 27312, 55063, 19020, 0], [0, 0, 0, 0, 4954]];
/** Lines per basket by size: counts for 1, 2, 3, … lines. */
const LINES_BY_SIZE = [
  [59524, 43566],
  [15270, 16996, 43945, 30619, 21928, 13928, 9611, 3611, 2598],
  [726, 1209, 1828, 2702, 4024, 6495, 6969, 10210, 9212, 10156, 9147, 8003, 7178, 6350, 5868, 5153, 4619, 4117, 3680,
    3271, 2813, 2545, 2229, 1883, 1616, 1434, 1210, 1093, 924, 723, 588, 525, 438, 344, 299, 265, 201, 186, 151, 106, 81,
    73, 45, 47, 36, 26, 25, 9, 12, 10, 15, 9, 3, 9, 4, 2, 3, 1, 1, 3, 1, 1, 0, 4, 1, 0, 1, 0, 0, 0, 0, 1,
    ...new Array<number>(14).fill(0), 1],
];
/** Baskets by customer segment: none, AZ, BG, CT, DY. */
const SEGMENT_BASKETS = [80610, 85105, 87054, 138674, 1067];
/** Label (LA, MM, UM) by customer segment (none, AZ, BG, CT, DY) and by size (S, M, L). */
const LABEL_BY_SEGMENT = [[20465, 42782, 15784], [36947, 38515, 8015], [7243, 38725, 39488], [25321, 79715, 31305], [219, 565, 238]];
const LABEL_BY_SIZE = [[17514, 62193, 18189], [41839, 69970, 44878], [30842, 68139, 31763]];
/** P(label XX) by type (Full Shop, Top Up, Small Shop, XX); XX-type baskets that are labelled are MM. */
const XX_LABEL_BY_TYPE = [0, 32 / 128962, 2759 / 216397, 4392 / 4954];
const HOUR_BASKETS = [23445, 15966, 21611, 27630, 31785, 35184, 35664, 34790, 33152, 30352, 27259, 23108, 18780, 33783, 1]; // 8…22
/** QUANTITY 1, 3, 4, 5, 6, 7, 8, 9 and a Pareto tail from 10 (2 never occurs; real: 0.6% of the tail ≥ 50). */
const QUANTITY_VALUES = [1, 3, 4, 5, 6, 7, 8, 9, 0];
const QUANTITY_WEIGHTS = [82.4, 13.4, 1.9, 0.43, 0.74, 0.31, 0.23, 0.18, 0.41];
const QUANTITY_MAX = 1685;
const QUANTITY_TAIL_ALPHA = 3;
/**
 * Tag mix of a basket's lines by label (rows LA, MM, UM; columns LA, MM, UM tags),
 * before the rule is enforced; tuned so the mix after it is close to the real
 * one (LA baskets .47/.475/.055, MM .18/.65/.17, UM .06/.51/.43).
 */
const TAG_MIX = [[0.42, 0.51, 0.07], [0.2, 0.6, 0.2], [0.09, 0.55, 0.36]];
/** Labelled baskets of ≥ 5 lines sometimes sit just across the rule's threshold, as ~3% do in reality. */
const OFF_RULE_RATE = 0.11;
const HOME_STORE_SHARE = 0.8;
/** Lines of 7–9 and of ≥ 10 units priced at 1p a unit, as 32% and 55% are in the real files (loose produce). */
const PENNY_LINE_SHARE = [0.32, 0.55];
const PROMO_SHARE = 0.04;
const ZERO_SPEND_RATE = 2e-6;
const BASKET_ID_BASE = 994100100000000;
const RETRIES = 12;

/** Label indices follow CODE_SETS.BASKET_PRICE_SENSITIVITY: 0–2 equal the tags (LA, MM, UM), 3 is XX. */
const LABEL_XX = 3;
const TYPE_XX = 3;

// ---- Options and calendar -----------------------------------------------------

export function defaultWeeks(rows: number): number {
  return Math.min(113, Math.max(4, Math.round(rows / 27000)));
}

/** The real calendar: 52 weeks a year, week 200607 starting Monday 2006-04-10. */
const ANCHOR_WEEK = 200607;
const ANCHOR_MONDAY_UTC = Date.UTC(2006, 3, 10);
const weekOrdinal = (shopWeek: number) => Math.floor(shopWeek / 100) * 52 + ((shopWeek % 100) - 1);

export function shopWeekAfter(startWeek: number, offset: number): number {
  const ordinal = weekOrdinal(startWeek) + offset;
  return Math.floor(ordinal / 52) * 100 + (ordinal % 52) + 1;
}

/** Dates of a shop week, Monday first, as YYYYMMDD. */
export function shopWeekDates(shopWeek: number): string[] {
  const monday = ANCHOR_MONDAY_UTC + (weekOrdinal(shopWeek) - weekOrdinal(ANCHOR_WEEK)) * 7 * 86_400_000;
  return Array.from({ length: 7 }, (_, d) => new Date(monday + d * 86_400_000).toISOString().slice(0, 10).replaceAll('-', ''));
}

export function resolveOptions(opts: GenerateOptions): Required<GenerateOptions> {
  const { rows, seed } = opts;
  if (!Number.isInteger(rows) || rows <= 0 || rows > MAX_ROWS) throw new GenerateOptionError('--rows', `must be an integer from 1 to ${MAX_ROWS}, got ${rows}`);
  if (!Number.isSafeInteger(seed)) throw new GenerateOptionError('--seed', `must be an integer, got ${seed}`);
  const weeks = opts.weeks ?? defaultWeeks(rows);
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > MAX_WEEKS) throw new GenerateOptionError('--weeks', `must be an integer from 1 to ${MAX_WEEKS}, got ${weeks}`);
  const startWeek = opts.startWeek ?? DEFAULT_START_WEEK;
  if (!Number.isInteger(startWeek) || !isValidShopWeek(startWeek) || startWeek % 100 > 52) {
    throw new GenerateOptionError('--start-week', `must be a shop week YYYYWW with WW from 01 to 52, got ${startWeek}`);
  }
  if (!isValidShopWeek(shopWeekAfter(startWeek, weeks - 1))) throw new GenerateOptionError('--weeks', `${weeks} weeks from ${startWeek} run past the year 2100`);
  return { rows, seed, weeks, startWeek };
}

// ---- Generation ---------------------------------------------------------------

/** The CSV is pure ASCII. */
function ascii(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/**
 * Builds CSV bytes directly: concatenating JS strings and encoding them later
 * costs about as much again as generating the rows.
 */
class ChunkWriter {
  private buf: Uint8Array;
  pos = 0;

  constructor(private readonly capacity: number) {
    this.buf = new Uint8Array(capacity);
  }

  /** TypedArray.set is a memcpy: ~3× a byte loop at these lengths. */
  copy(src: Uint8Array): void {
    this.buf.set(src, this.pos);
    this.pos += src.length;
  }

  /** What was written since `from`, without copying. */
  view(from = 0): Uint8Array {
    return this.buf.subarray(from, this.pos);
  }

  byte(c: number): void {
    this.buf[this.pos++] = c;
  }

  /** A non-negative integer in decimal. */
  uint(n: number): void {
    const buf = this.buf;
    const start = this.pos;
    let p = start;
    do {
      buf[p++] = 48 + (n % 10);
      n = Math.floor(n / 10);
    } while (n > 0);
    this.pos = p;
    for (let i = start, j = p - 1; i < j; i++, j--) {
      const t = buf[i]!;
      buf[i] = buf[j]!;
      buf[j] = t;
    }
  }

  /** Pence as the real files write pounds: 1.0, 0.4, 0.93. */
  spend(cents: number): void {
    this.uint(Math.floor(cents / 100));
    this.byte(46);
    const frac = cents % 100;
    if (frac % 10 === 0) this.byte(48 + frac / 10);
    else {
      this.byte(48 + Math.floor(frac / 10));
      this.byte(48 + (frac % 10));
    }
  }

  take(): Uint8Array {
    const out = this.buf.subarray(0, this.pos);
    this.buf = new Uint8Array(this.capacity);
    this.pos = 0;
    return out;
  }
}

const normalise = (w: readonly number[]) => {
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / total);
};

/** Label (LA, MM, UM) given segment and size: P(l|seg) · P(l|size) / P(l), renormalised. */
function labelSamplers(): AliasTable[][] {
  const overall = normalise(LABEL_BY_SEGMENT.reduce((acc, row) => acc.map((v, i) => v + row[i]!), [0, 0, 0]));
  return LABEL_BY_SEGMENT.map((bySeg) => LABEL_BY_SIZE.map((bySize) => {
    const seg = normalise(bySeg);
    const size = normalise(bySize);
    return new AliasTable(seg.map((p, l) => (p * size[l]!) / overall[l]!));
  }));
}

/** Per tag (and all products, index 3): who is on sale in a week, drawn by popularity. */
interface Shelf { members: Int32Array; sampler: AliasTable }
function stockShelves(world: World, week: number): Shelf[] {
  const { count, tag, introWeek, popularity } = world.products;
  return [TAG_LA, TAG_MM, TAG_UM, -1].map((t) => {
    const members = Int32Array.from({ length: count }, (_, p) => p).filter((p) => introWeek[p]! <= week && (t < 0 || tag[p] === t));
    return { members, sampler: new AliasTable(Array.from(members, (p) => popularity[p]!)) };
  });
}

export function newStats(): GenerateStats {
  return { rows: 0, baskets: 0, basketsByLabel: [0, 0, 0, 0], firstWeek: null, lastWeek: null };
}

/** Draws baskets from a world and writes their rows; one instance per output. */
class BasketWriter {
  private readonly rng: Rng;
  private readonly products: World['products'];
  private readonly customers: World['customers'];
  private readonly stores: World['stores'];
  private readonly sizeSampler = new AliasTable(SIZE_BASKETS);
  private readonly typeSamplers = TYPE_BY_SIZE.map((w) => new AliasTable(w));
  private readonly missionSamplers = MISSION_BY_TYPE.map((w) => new AliasTable(w));
  private readonly lineSamplers = LINES_BY_SIZE.map((w) => new AliasTable(w));
  private readonly segmentSampler = new AliasTable(SEGMENT_BASKETS);
  private readonly labelSamplers = labelSamplers();
  private readonly hourSampler = new AliasTable(HOUR_BASKETS);
  private readonly quantitySampler = new AliasTable(QUANTITY_WEIGHTS);
  // Pre-encoded CSV fields; those after the product columns carry their leading comma.
  private readonly productBytes: Uint8Array[];
  private readonly customerBytes: Uint8Array[];
  private readonly storeBytes: Uint8Array[];
  private readonly noCustomerBytes = ascii(',"","",""');
  private readonly sizeBytes = CODE_SETS.BASKET_SIZE.map((v) => ascii(`,${v}`));
  private readonly labelBytes = CODE_SETS.BASKET_PRICE_SENSITIVITY.map((v) => ascii(`,${v}`));
  private readonly typeBytes = CODE_SETS.BASKET_TYPE.map((v) => ascii(`,${v}`));
  private readonly missionBytes = CODE_SETS.BASKET_DOMINANT_MISSION.map((v) => ascii(`,${v}`));
  private readonly tags = new Uint8Array(LINES_BY_SIZE[2]!.length);
  private readonly lines = new Int32Array(LINES_BY_SIZE[2]!.length);
  private readonly inBasket: Int32Array;
  private readonly tail = new ChunkWriter(1024);
  private shelves: Shelf[] = [];
  /** SHOP_WEEK…SHOP_HOUR of the current week, by day × 15 + (hour − 8). */
  private headBytes: Uint8Array[] = [];

  constructor(private readonly world: World, seed: number) {
    this.rng = new Rng(seed, 2);
    ({ products: this.products, customers: this.customers, stores: this.stores } = world);
    this.productBytes = this.products.columns.map(ascii);
    this.customerBytes = this.customers.columns.map((c) => ascii(`,${c}`));
    this.storeBytes = this.stores.columns.map((c) => ascii(`,${c}\n`));
    this.inBasket = new Int32Array(this.products.count).fill(-1);
  }

  /** Start a shop week: restock when products launch, set the dates. */
  startWeek(weekIndex: number, shopWeek: number, restock: boolean): void {
    if (restock) this.shelves = stockShelves(this.world, weekIndex);
    // Monday is day 0: SHOP_WEEKDAY 2; Sunday (day 6) is 1.
    this.headBytes = shopWeekDates(shopWeek).flatMap((date, d) => HOUR_BASKETS.map((_, h) => ascii(`${shopWeek},${date},${d === 6 ? 1 : d + 2},${h + 8},`)));
  }

  /** Write one basket of at most `maxLines` rows; returns [lines written, label index]. */
  writeBasket(out: ChunkWriter, basket: number, maxLines: number): [number, number] {
    const rng = this.rng;
    const size = this.sizeSampler.sample(rng);
    const type = this.typeSamplers[size]!.sample(rng);
    const mission = this.missionSamplers[type]!.sample(rng);
    const n = Math.min(this.lineSamplers[size]!.sample(rng) + 1, maxLines);
    const segment = this.segmentSampler.sample(rng);
    const bySeg = segment === 0 ? null : this.customers.bySeg1[segment - 1]!;
    const customer = bySeg ? bySeg.members[bySeg.sampler.sample(rng)]! : -1;
    const store = customer >= 0 && rng.chance(HOME_STORE_SHARE) ? this.customers.homeStore[customer]! : this.stores.traffic.sample(rng);
    const label = rng.chance(XX_LABEL_BY_TYPE[type]!) ? LABEL_XX : type === TYPE_XX ? TAG_MM : this.labelSamplers[segment]![size]!.sample(rng);

    const { lines, tags, inBasket } = this;
    if (label !== LABEL_XX) this.chooseTags(label, n);
    for (let i = 0; i < n; i++) {
      const p = this.drawProduct(this.shelves[label === LABEL_XX ? 3 : tags[i]!]!, basket);
      lines[i] = p;
      inBasket[p] = basket;
    }

    const day = rng.int(7);
    const head = this.headBytes[day * HOUR_BASKETS.length + this.hourSampler.sample(rng)]!;
    const tail = this.tail;
    tail.pos = 0;
    tail.copy(customer >= 0 ? this.customerBytes[customer]! : this.noCustomerBytes);
    tail.byte(44);
    tail.uint(BASKET_ID_BASE + 1 + basket);
    tail.copy(this.sizeBytes[size]!);
    tail.copy(this.labelBytes[label]!);
    tail.copy(this.typeBytes[type]!);
    tail.copy(this.missionBytes[mission]!);
    tail.copy(this.storeBytes[store]!);
    const tailBytes = tail.view();
    for (let i = 0; i < n; i++) {
      const p = lines[i]!;
      let quantity = QUANTITY_VALUES[this.quantitySampler.sample(rng)]!;
      if (quantity === 0) quantity = Math.min(QUANTITY_MAX, Math.floor(10 * Math.pow(1 - rng.next(), -1 / QUANTITY_TAIL_ALPHA)));
      let cents = this.products.priceCents[p]! * quantity;
      if (quantity >= 7 && rng.chance(PENNY_LINE_SHARE[quantity < 10 ? 0 : 1]!)) cents = quantity;
      else if (rng.chance(PROMO_SHARE)) cents = Math.max(1, Math.round(cents * (0.5 + 0.4 * rng.next())));
      if (rng.chance(ZERO_SPEND_RATE)) cents = 0;
      out.copy(head);
      out.uint(quantity);
      out.byte(44);
      out.spend(cents);
      out.byte(44);
      out.copy(this.productBytes[p]!);
      out.copy(tailBytes);
    }
    return [n, label];
  }

  /** Tags of the n lines: agree with the label under the hand rule, bar a few borderline baskets. */
  private chooseTags(label: number, n: number): void {
    const rng = this.rng;
    if (n >= 5 && rng.chance(OFF_RULE_RATE)) {
      const target = label === TAG_MM ? (rng.chance(0.5) ? TAG_UM : TAG_LA) : TAG_MM;
      for (let attempt = 0; attempt < RETRIES; attempt++) {
        const score = this.drawTags(label, n);
        if (ruleOf(score) === target && Math.abs(Math.abs(score) - HAND_RULE_THRESHOLD) < 0.1) return;
      }
    }
    for (let attempt = 0; attempt < RETRIES; attempt++) if (ruleOf(this.drawTags(label, n)) === label) return;
    this.repairTags(label, n);
  }

  /** Draw n tags from the label's mix; returns the hand-rule score. */
  private drawTags(label: number, n: number): number {
    const mix = TAG_MIX[label]!;
    const pLa = mix[0]!;
    const pLaMm = pLa + mix[1]!;
    let balance = 0;
    for (let i = 0; i < n; i++) {
      const u = this.rng.next();
      const t = u < pLa ? TAG_LA : u < pLaMm ? TAG_MM : TAG_UM;
      this.tags[i] = t;
      balance += t === TAG_UM ? 1 : t === TAG_LA ? -1 : 0;
    }
    return balance / n;
  }

  /** Retag lines toward `label` until the rule agrees (rarely needed after retries). */
  private repairTags(label: number, n: number): void {
    const tags = this.tags;
    let balance = 0; // #UM − #LA
    for (let i = 0; i < n; i++) balance += tags[i] === TAG_UM ? 1 : tags[i] === TAG_LA ? -1 : 0;
    for (let i = 0; i < n && ruleOf(balance / n) !== label; i++) {
      const t = tags[i]!;
      // Toward MM only the lines on the heavy side change; toward LA/UM any other line does.
      const wrong = label === TAG_MM ? t === (balance > 0 ? TAG_UM : TAG_LA) : t !== label;
      if (!wrong) continue;
      balance += (label === TAG_UM ? 1 : label === TAG_LA ? -1 : 0) - (t === TAG_UM ? 1 : t === TAG_LA ? -1 : 0);
      tags[i] = label;
    }
  }

  /** A product from the shelf not yet in this basket. */
  private drawProduct(shelf: Shelf, basket: number): number {
    for (let attempt = 0; attempt < 256; attempt++) {
      const p = shelf.members[shelf.sampler.sample(this.rng)]!;
      if (this.inBasket[p] !== basket) return p;
    }
    // A tiny shelf is exhausted: take the first free product on sale.
    const all = this.shelves[3]!.members;
    for (let i = 0; i < all.length; i++) if (this.inBasket[all[i]!] !== basket) return all[i]!;
    throw new Error('more lines in one basket than products on sale');
  }
}

const ruleOf = (score: number) => (score >= HAND_RULE_THRESHOLD ? TAG_UM : score <= -HAND_RULE_THRESHOLD ? TAG_LA : TAG_MM);

/**
 * CSV bytes (ASCII, header first) in chunks of ~64 KB. `stats` is updated as
 * chunks are produced, so a consumer can report progress and a summary.
 */
export function* generateCsvChunks(options: GenerateOptions, stats: GenerateStats = newStats()): Generator<Uint8Array, GenerateStats> {
  const { rows, seed, weeks, startWeek } = resolveOptions(options);
  const world = buildWorld(seed, weeks);
  const writer = new BasketWriter(world, seed);
  const launches = new Set(world.products.introWeek);
  const out = new ChunkWriter(CHUNK_CAPACITY);
  out.copy(ascii(`${HEADER_LINE}\n`));
  let week = -1;
  while (stats.rows < rows) {
    const weekIndex = Math.floor((stats.rows * weeks) / rows);
    if (weekIndex !== week) {
      const shopWeek = shopWeekAfter(startWeek, weekIndex);
      writer.startWeek(weekIndex, shopWeek, week < 0 || launches.has(weekIndex));
      week = weekIndex;
      stats.firstWeek ??= shopWeek;
      stats.lastWeek = shopWeek;
    }
    const [n, label] = writer.writeBasket(out, stats.baskets, rows - stats.rows);
    stats.rows += n;
    stats.baskets++;
    stats.basketsByLabel[label]!++;
    if (out.pos >= CHUNK_BYTES) yield out.take();
  }
  if (out.pos > 0) yield out.take();
  return stats;
}

/** The whole CSV as one string: for tests and small outputs. */
export function generateCsv(options: GenerateOptions): string {
  const decoder = new TextDecoder('latin1');
  let text = '';
  for (const chunk of generateCsvChunks(options)) text += decoder.decode(chunk);
  return text;
}
