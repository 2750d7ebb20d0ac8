import { MlError } from '../core/errors';
import { NUM_CLASSES } from '../core/labels';
import { CsrBuilder, type CsrMatrix, type DenseMatrix } from '../core/matrix';
import { Rng } from '../core/random';
import type { BasketInput, BasketTable, CodedColumn, ContextField } from '../data/basket-table';
import { learnProductTags, TAG_LA, TAG_MM, TAG_NONE, TAG_UM } from './product-tags';
import { classPrior, fitClassRates, type ClassRates } from './target-encoding';

/**
 * The one fitted transformation from baskets to features, used by training,
 * evaluation, batch scoring and the inference service alike (it is serialised in
 * the model artifact). Blocks, in column order:
 *   products   sparse presence (or quantity) over the fitted PROD_CODE vocabulary
 *   categories share of the basket's lines per PROD_CODE_10/20/30/40 category
 *   aggregates lines, spend, quantity, line spend, unknown-product share, hour, customer
 *   context    one-hot store format/region, basket size/type/mission, segments, weekday
 *   target     smoothed per-product class rates summarised per basket (tree models)
 *   tags       learned product tags: the basket's tag balance and tag shares
 * Unknown products and codes at prediction time are counted, never errors.
 */
export type PipelineConfig = {
  /** presence = 1; share = 1/lines (the basket's composition); count = quantity; none = no product block. */
  products: 'presence' | 'share' | 'count' | 'none';
  /** A product enters the vocabulary when it appears in at least this many training baskets. */
  minProductBaskets: number;
  categoryShares: boolean;
  aggregates: boolean;
  context: boolean;
  targetEncoding: boolean;
  /** Learned product tags and the basket's tag balance (see product-tags.ts). */
  productTags: boolean;
  targetEncodingFolds: number;
  targetEncodingSmoothing: number;
};

export const DEFAULT_PIPELINE: PipelineConfig = {
  products: 'presence',
  minProductBaskets: 1,
  categoryShares: true,
  aggregates: true,
  context: true,
  targetEncoding: false,
  productTags: true,
  targetEncodingFolds: 5,
  targetEncodingSmoothing: 5,
};

type FeatureSink = { push(col: number, value: number): void; endRow(): void };

class DenseSink implements FeatureSink {
  constructor(private readonly data: Float32Array) {}
  push(col: number, value: number) {
    this.data[col] = value;
  }
  endRow() {}
}

const LEVELS = ['p10', 'p20', 'p30', 'p40'] as const;
const ONE_HOT: readonly ContextField[] = ['storeFormat', 'storeRegion', 'basketSize', 'basketType', 'mission', 'seg1', 'seg2'];
const AGGREGATES = ['log_lines', 'log_spend', 'log_quantity', 'log_mean_line_spend', 'log_max_line_spend', 'share_multi_quantity', 'share_unknown_products', 'hour', 'has_customer_segment'] as const;
const TAG_FEATURES = ['tag_balance', 'tag_share_LA', 'tag_share_MM', 'tag_share_UM', 'tag_share_none', 'tag_share_unknown', 'tag_log_lines'] as const;
const TE_FEATURES = ['te_mean_LA', 'te_mean_MM', 'te_mean_UM', 'te_tag_LA', 'te_tag_MM', 'te_tag_UM', 'te_balance', 'te_max_LA', 'te_max_UM', 'te_p10_LA', 'te_p10_MM', 'te_p10_UM'] as const;

export type PipelineState = {
  version: 1;
  config: PipelineConfig;
  products: string[];
  categories: Record<(typeof LEVELS)[number], string[]>;
  context: Record<string, string[]>;
  /** All training products (for target encoding), with their class rates. */
  teProducts: string[];
  teProductRates: number[];
  teP10Rates: number[];
  prior: number[];
  /** Learned tag per product (0 LA, 1 MM, 2 UM, 3 none), aligned with teProducts. */
  tags: number[];
  tagThresholds: { la: number; um: number } | null;
  tagAgreement: number | null;
};

export type TransformStats = { baskets: number; lines: number; unknownProductLines: number; unknownContextValues: number };

function indexOf(values: string[]): Map<string, number> {
  return new Map(values.map((v, i) => [v, i]));
}

/** Table dictionary code → vocabulary index (or -1), computed once per table. */
function mapCodes(column: CodedColumn, index: Map<string, number>): Int32Array {
  return Int32Array.from(column.dictionary, (v) => index.get(v) ?? -1);
}

function round6(x: number) {
  return Math.round(x * 1e6) / 1e6;
}

export class FeaturePipeline {
  readonly featureNames: string[];
  private readonly productIndex: Map<string, number>;
  private readonly categoryIndex: Record<(typeof LEVELS)[number], Map<string, number>>;
  private readonly contextIndex: Record<string, Map<string, number>>;
  private readonly teProductIndex: Map<string, number>;
  private readonly fullProductRates: Float32Array;
  private readonly fullP10Rates: Float32Array;
  private readonly productTags: Int8Array;
  private readonly scratch: ResolvedBasket;
  private readonly offsets: { products: number; categories: number[]; aggregates: number; context: Record<string, number>; weekday: number; target: number; tags: number; total: number };

  private constructor(readonly state: PipelineState) {
    const { config } = state;
    this.productIndex = indexOf(state.products);
    this.categoryIndex = Object.fromEntries(LEVELS.map((l) => [l, indexOf(state.categories[l])])) as FeaturePipeline['categoryIndex'];
    this.contextIndex = Object.fromEntries(ONE_HOT.map((f) => [f, indexOf(state.context[f] ?? [])]));
    this.teProductIndex = indexOf(state.teProducts);
    this.fullProductRates = Float32Array.from(state.teProductRates);
    this.fullP10Rates = Float32Array.from(state.teP10Rates);
    this.productTags = Int8Array.from(state.tags);
    this.scratch = new ResolvedBasket(LEVELS.map((l) => state.categories[l].length));
    const names: string[] = [];
    const products = names.length;
    if (config.products !== 'none') for (const p of state.products) names.push(`prod=${p}`);
    const categories: number[] = [];
    for (const level of LEVELS) {
      categories.push(names.length);
      if (config.categoryShares) for (const c of state.categories[level]) names.push(`${level}=${c}`);
    }
    const aggregates = names.length;
    if (config.aggregates) names.push(...AGGREGATES);
    const context: Record<string, number> = {};
    for (const field of ONE_HOT) {
      context[field] = names.length;
      if (config.context) for (const v of state.context[field] ?? []) names.push(`${field}=${v}`);
    }
    const weekday = names.length;
    if (config.context) for (let d = 1; d <= 7; d++) names.push(`weekday=${d}`);
    const target = names.length;
    if (config.targetEncoding) names.push(...TE_FEATURES);
    const tags = names.length;
    if (config.productTags) names.push(...TAG_FEATURES);
    this.featureNames = names;
    this.offsets = { products, categories, aggregates, context, weekday, target, tags, total: names.length };
  }

  get numFeatures() {
    return this.offsets.total;
  }

  static fromJSON(state: unknown): FeaturePipeline {
    const s = state as PipelineState;
    if (!s || s.version !== 1 || !Array.isArray(s.products) || !s.config) throw new MlError('ARTIFACT', 'The feature pipeline in this artifact is missing or from an unknown version');
    return new FeaturePipeline(s);
  }

  toJSON(): PipelineState {
    return this.state;
  }

  /** Learn vocabularies (and target-encoding rates) from the labelled baskets of a table; returns the pipeline and the training matrix. */
  static fitTransform(table: BasketTable, partial: Partial<PipelineConfig> = {}, seed = 42): { pipeline: FeaturePipeline; X: CsrMatrix; y: Int8Array; rows: Int32Array } {
    const config = { ...DEFAULT_PIPELINE, ...partial };
    const rows: number[] = [];
    for (let b = 0; b < table.size; b++) if (table.label[b]! >= 0) rows.push(b);
    if (!rows.length) throw new MlError('INVALID_DATA', 'No labelled baskets (LA, MM or UM) to learn from');
    const labelled = new Uint8Array(table.size);
    for (const b of rows) labelled[b] = 1;

    const productBaskets = new Int32Array(table.lines.prod.dictionary.length);
    const seen = new Int32Array(table.lines.prod.dictionary.length).fill(-1);
    for (const b of rows) {
      for (let k = table.lineOffsets[b]!; k < table.lineOffsets[b + 1]!; k++) {
        const code = table.lines.prod.codes[k]!;
        if (code >= 0 && seen[code] !== b) {
          seen[code] = b;
          productBaskets[code]!++;
        }
      }
    }
    const codeOf = indexOf(table.lines.prod.dictionary);
    const allProducts = table.lines.prod.dictionary.filter((_, code) => productBaskets[code]! > 0).sort();
    const products = allProducts.filter((p) => productBaskets[codeOf.get(p)!]! >= config.minProductBaskets);
    const usedValues = (column: CodedColumn, codesOf: Iterable<number>) => {
      const used = new Set<string>();
      for (const code of codesOf) if (code >= 0) used.add(column.dictionary[code]!);
      return [...used].sort();
    };
    const lineCodesOfRows = function* (field: (typeof LEVELS)[number]) {
      for (const b of rows) for (let k = table.lineOffsets[b]!; k < table.lineOffsets[b + 1]!; k++) yield table.lines[field].codes[k]!;
    };
    const categories = Object.fromEntries(LEVELS.map((l) => [l, usedValues(table.lines[l], lineCodesOfRows(l))])) as PipelineState['categories'];
    const context = Object.fromEntries(ONE_HOT.map((f) => [f, usedValues(table.context[f], rows.map((b) => table.context[f].codes[b]!))]));
    const labels = table.label;
    const prior = classPrior(Int8Array.from(rows, (b) => labels[b]!));

    let teProductRates: number[] = [];
    let teP10Rates: number[] = [];
    let oof: { folds: Int8Array; productRates: ClassRates[]; p10Rates: ClassRates[] } | null = null;
    if (config.targetEncoding) {
      const teIndex = indexOf(allProducts);
      const lineProducts = mapCodes(table.lines.prod, teIndex);
      const prodCodes = Int32Array.from(table.lines.prod.codes, (c) => (c < 0 ? -1 : lineProducts[c]!));
      const p10Index = indexOf(categories.p10);
      const p10Map = mapCodes(table.lines.p10, p10Index);
      const p10Codes = Int32Array.from(table.lines.p10.codes, (c) => (c < 0 ? -1 : p10Map[c]!));
      const base = { baskets: table.size, lineOffsets: table.lineOffsets, labels, prior, smoothing: config.targetEncodingSmoothing };
      const full = fitClassRates({ ...base, vocabularySize: allProducts.length, lineCodes: prodCodes, include: (b) => labelled[b] === 1 });
      const fullP10 = fitClassRates({ ...base, vocabularySize: categories.p10.length, lineCodes: p10Codes, include: (b) => labelled[b] === 1 });
      teProductRates = Array.from(full.rates, round6);
      teP10Rates = Array.from(fullP10.rates, round6);
      const rng = new Rng(seed);
      const folds = new Int8Array(table.size);
      for (let b = 0; b < table.size; b++) folds[b] = rng.int(config.targetEncodingFolds);
      const productRates: ClassRates[] = [];
      const p10Rates: ClassRates[] = [];
      for (let f = 0; f < config.targetEncodingFolds; f++) {
        const include = (b: number) => labelled[b] === 1 && folds[b] !== f;
        productRates.push(fitClassRates({ ...base, vocabularySize: allProducts.length, lineCodes: prodCodes, include }));
        p10Rates.push(fitClassRates({ ...base, vocabularySize: categories.p10.length, lineCodes: p10Codes, include }));
      }
      oof = { folds, productRates, p10Rates };
    }

    let tags: number[] = [];
    let tagThresholds: PipelineState['tagThresholds'] = null;
    let tagAgreement: number | null = null;
    if (config.productTags) {
      const teIndex = indexOf(allProducts);
      const map = mapCodes(table.lines.prod, teIndex);
      const learned = learnProductTags({
        vocabularySize: allProducts.length,
        lineOffsets: table.lineOffsets,
        lineCodes: Int32Array.from(table.lines.prod.codes, (c) => (c < 0 ? -1 : map[c]!)),
        labels: Int8Array.from(table.label, (l, b) => (labelled[b] ? l : -1)),
      });
      tags = Array.from(learned.tags);
      tagThresholds = learned.thresholds;
      tagAgreement = learned.trainingAgreement;
    }
    const usesProductTable = config.targetEncoding || config.productTags;
    const pipeline = new FeaturePipeline({
      version: 1, config, products, categories, context,
      teProducts: usesProductTable ? allProducts : [], teProductRates, teP10Rates, prior: Array.from(prior),
      tags, tagThresholds, tagAgreement,
    });
    const rowsArray = Int32Array.from(rows);
    const X = pipeline.transformRows(table, rowsArray, oof ? (b) => ({ product: oof.productRates[oof.folds[b]!]!.rates, p10: oof.p10Rates[oof.folds[b]!]!.rates }) : undefined).X;
    return { pipeline, X, y: Int8Array.from(rows, (b) => labels[b]!), rows: rowsArray };
  }

  /** Features for every basket of a table (serving, evaluation, batch scoring). */
  transform(table: BasketTable, from = 0, to = table.size): { X: CsrMatrix; stats: TransformStats } {
    const rows = new Int32Array(to - from);
    for (let b = from; b < to; b++) rows[b - from] = b;
    return this.transformRows(table, rows);
  }

  /**
   * Features for baskets given as objects (the prediction API): codes are looked
   * up directly, no table is built, so one basket costs microseconds.
   */
  transformBaskets(baskets: readonly BasketInput[]): { X: CsrMatrix; stats: TransformStats } {
    let expected = 0;
    for (const basket of baskets) expected += 30 + 5 * basket.lines.length;
    const builder = new CsrBuilder(this.offsets.total, expected);
    const stats: TransformStats = { baskets: baskets.length, lines: 0, unknownProductLines: 0, unknownContextValues: 0 };
    for (const basket of baskets) this.encode(this.resolve(basket), builder, stats);
    return { X: builder.build(), stats };
  }

  /** One basket as a dense row: the serving fast path for models with few features (trees). */
  transformBasketDense(basket: BasketInput): { X: DenseMatrix; stats: TransformStats } {
    const data = new Float32Array(this.offsets.total);
    const stats: TransformStats = { baskets: 1, lines: 0, unknownProductLines: 0, unknownContextValues: 0 };
    this.encode(this.resolve(basket), new DenseSink(data), stats);
    return { X: { kind: 'dense', rows: 1, cols: this.offsets.total, data }, stats };
  }

  private resolve(basket: BasketInput): ResolvedBasket {
    const r = this.scratch;
    const n = basket.lines.length;
    r.reserve(n);
    r.lines = n;
    for (let k = 0; k < n; k++) {
      const line = basket.lines[k]!;
      r.prodCol[k] = this.productIndex.get(line.prod) ?? -1;
      r.teIdx[k] = this.teProductIndex.get(line.prod) ?? -1;
      for (let li = 0; li < 4; li++) {
        const v = line[LEVELS[li]!];
        r.level[li]![k] = v ? (this.categoryIndex[LEVELS[li]!].get(v) ?? -1) : -1;
      }
      r.spend[k] = line.spend;
      r.quantity[k] = line.quantity;
    }
    for (let fi = 0; fi < ONE_HOT.length; fi++) {
      const v = basket[ONE_HOT[fi]!];
      r.context[fi] = v ? (this.contextIndex[ONE_HOT[fi]!]!.get(v) ?? -2) : -1;
    }
    r.hour = basket.hour ?? -1;
    r.weekday = basket.weekday ?? -1;
    r.hasSegment = basket.seg1 ? 1 : 0;
    return r;
  }

  private transformRows(table: BasketTable, rows: Int32Array, teRatesFor?: (basket: number) => { product: Float32Array; p10: Float32Array }) {
    const prodMap = mapCodes(table.lines.prod, this.productIndex);
    const teProdMap = mapCodes(table.lines.prod, this.teProductIndex);
    const levelMaps = LEVELS.map((l) => mapCodes(table.lines[l], this.categoryIndex[l]));
    const levelCodes = LEVELS.map((l) => table.lines[l].codes);
    const contextMaps = ONE_HOT.map((f) => mapCodes(table.context[f], this.contextIndex[f]!));
    const prodCodes = table.lines.prod.codes;
    const stats: TransformStats = { baskets: rows.length, lines: 0, unknownProductLines: 0, unknownContextValues: 0 };
    const builder = new CsrBuilder(this.offsets.total, rows.length * 40);
    const r = this.scratch;
    for (let i = 0; i < rows.length; i++) {
      const b = rows[i]!;
      const start = table.lineOffsets[b]!;
      const n = table.lineOffsets[b + 1]! - start;
      r.reserve(n);
      r.lines = n;
      for (let j = 0; j < n; j++) {
        const k = start + j;
        const code = prodCodes[k]!;
        r.prodCol[j] = code < 0 ? -1 : prodMap[code]!;
        r.teIdx[j] = code < 0 ? -1 : teProdMap[code]!;
        for (let li = 0; li < 4; li++) {
          const c = levelCodes[li]![k]!;
          r.level[li]![j] = c < 0 ? -1 : levelMaps[li]![c]!;
        }
        r.spend[j] = table.lines.spend[k]!;
        r.quantity[j] = table.lines.quantity[k]!;
      }
      for (let fi = 0; fi < ONE_HOT.length; fi++) {
        const code = table.context[ONE_HOT[fi]!].codes[b]!;
        r.context[fi] = code < 0 ? -1 : contextMaps[fi]![code]! < 0 ? -2 : contextMaps[fi]![code]!;
      }
      r.hour = table.hour[b]!;
      r.weekday = table.weekday[b]!;
      r.hasSegment = table.context.seg1.codes[b]! >= 0 ? 1 : 0;
      this.encode(r, builder, stats, teRatesFor?.(b));
    }
    return { X: builder.build(), stats };
  }

  /** The one place a resolved basket becomes a feature row (tables and request objects share it). */
  private encode(r: ResolvedBasket, builder: FeatureSink, stats: TransformStats, teRates?: { product: Float32Array; p10: Float32Array }) {
    const { config } = this.state;
    const o = this.offsets;
    const prior = this.state.prior;
    const lines = r.lines;
    stats.lines += lines;
    let spend = 0, quantity = 0, maxSpend = 0, multi = 0, unknown = 0;
    const productCols = r.productCols;
    productCols.length = 0;
    for (let k = 0; k < lines; k++) {
      const col = r.prodCol[k]!;
      if (col < 0) unknown++;
      else if (config.products !== 'none') productCols.push(col);
      if (config.categoryShares) {
        for (let li = 0; li < 4; li++) {
          const idx = r.level[li]![k]!;
          if (idx >= 0 && r.counts[li]![idx]!++ === 0) r.touched[li]!.push(idx);
        }
      }
      const s = r.spend[k]!;
      const q = r.quantity[k]!;
      spend += s;
      quantity += q;
      if (s > maxSpend) maxSpend = s;
      if (q > 1) multi++;
    }
    stats.unknownProductLines += unknown;

    if (config.products !== 'none') {
      productCols.sort((a, z) => a - z);
      let last = -1;
      for (let i = 0; i < productCols.length; i++) {
        const col = productCols[i]!;
        if (col === last) continue;
        last = col;
        builder.push(o.products + col, config.products === 'presence' ? 1 : config.products === 'share' ? 1 / lines : r.quantityOf(col));
      }
    }
    if (config.categoryShares) {
      for (let li = 0; li < 4; li++) {
        const list = r.touched[li]!;
        const count = r.counts[li]!;
        if (list.length > 1) list.sort((a, z) => a - z);
        for (const idx of list) {
          builder.push(o.categories[li]! + idx, count[idx]! / lines);
          count[idx] = 0;
        }
        list.length = 0;
      }
    }
    if (config.aggregates) {
      const a = o.aggregates;
      builder.push(a, Math.log1p(lines));
      builder.push(a + 1, Math.log1p(Math.max(0, spend)));
      builder.push(a + 2, Math.log1p(Math.max(0, quantity)));
      builder.push(a + 3, Math.log1p(Math.max(0, spend / lines)));
      builder.push(a + 4, Math.log1p(Math.max(0, maxSpend)));
      builder.push(a + 5, multi / lines);
      builder.push(a + 6, unknown / lines);
      builder.push(a + 7, r.hour >= 0 ? r.hour / 24 : 0);
      builder.push(a + 8, r.hasSegment);
    }
    if (config.context) {
      for (let fi = 0; fi < ONE_HOT.length; fi++) {
        const idx = r.context[fi]!;
        if (idx === -2) stats.unknownContextValues++;
        else if (idx >= 0) builder.push(o.context[ONE_HOT[fi]!]! + idx, 1);
      }
      if (r.weekday >= 1 && r.weekday <= 7) builder.push(o.weekday + r.weekday - 1, 1);
    }
    if (config.targetEncoding) {
      const product = teRates?.product ?? this.fullProductRates;
      const p10 = teRates?.p10 ?? this.fullP10Rates;
      const rates = r.rates.fill(0);
      const tags = r.tagCounts.fill(0);
      const p10Sum = r.p10Sum.fill(0);
      let maxLA = 0, maxUM = 0;
      for (let k = 0; k < lines; k++) {
        const t = r.teIdx[k]!;
        const p = r.level[0]![k]!;
        let best = 0;
        for (let c = 0; c < NUM_CLASSES; c++) {
          // Unknown product: back off to its PROD_CODE_10 category, then to the prior.
          const rate = t >= 0 ? product[t * NUM_CLASSES + c]! : p >= 0 ? p10[p * NUM_CLASSES + c]! : prior[c]!;
          rates[c]! += rate;
          if (rate > (t >= 0 ? product[t * NUM_CLASSES + best]! : p >= 0 ? p10[p * NUM_CLASSES + best]! : prior[best]!)) best = c;
          p10Sum[c]! += p >= 0 ? p10[p * NUM_CLASSES + c]! : prior[c]!;
        }
        tags[best]!++;
        const la = t >= 0 ? product[t * NUM_CLASSES]! : prior[0]!;
        const um = t >= 0 ? product[t * NUM_CLASSES + 2]! : prior[2]!;
        if (la > maxLA) maxLA = la;
        if (um > maxUM) maxUM = um;
      }
      const t0 = o.target;
      for (let c = 0; c < NUM_CLASSES; c++) builder.push(t0 + c, rates[c]! / lines);
      for (let c = 0; c < NUM_CLASSES; c++) builder.push(t0 + 3 + c, tags[c]! / lines);
      builder.push(t0 + 6, (tags[2]! - tags[0]!) / lines);
      builder.push(t0 + 7, maxLA);
      builder.push(t0 + 8, maxUM);
      for (let c = 0; c < NUM_CLASSES; c++) builder.push(t0 + 9 + c, p10Sum[c]! / lines);
    }
    if (config.productTags) {
      let la = 0, mm = 0, um = 0, none = 0, unknownTag = 0;
      for (let k = 0; k < lines; k++) {
        const t = r.teIdx[k]!;
        const tag = t >= 0 ? this.productTags[t]! : -1;
        if (tag === TAG_LA) la++;
        else if (tag === TAG_MM) mm++;
        else if (tag === TAG_UM) um++;
        else if (tag === TAG_NONE) none++;
        else unknownTag++;
      }
      // A product never seen in training counts like the most common tag, MM.
      const tagged = la + mm + um + unknownTag;
      const t0 = o.tags;
      builder.push(t0, tagged ? (um - la) / tagged : 0);
      builder.push(t0 + 1, tagged ? la / tagged : 0);
      builder.push(t0 + 2, tagged ? mm / tagged : 0);
      builder.push(t0 + 3, tagged ? um / tagged : 0);
      builder.push(t0 + 4, none / lines);
      builder.push(t0 + 5, unknownTag / lines);
      builder.push(t0 + 6, Math.log1p(tagged));
    }
    builder.endRow();
  }
}

/** Scratch for one basket resolved against a pipeline's vocabularies; reused across baskets. */
class ResolvedBasket {
  lines = 0;
  prodCol = new Int32Array(64);
  teIdx = new Int32Array(64);
  level = [new Int32Array(64), new Int32Array(64), new Int32Array(64), new Int32Array(64)];
  spend = new Float32Array(64);
  quantity = new Float32Array(64);
  /** Per one-hot field: vocabulary index, -1 missing, -2 a value the pipeline never saw. */
  context = new Int32Array(ONE_HOT.length);
  hour = -1;
  weekday = -1;
  hasSegment = 0;
  readonly productCols: number[] = [];
  readonly counts: Int32Array[];
  readonly touched: number[][] = [[], [], [], []];
  readonly rates = new Float64Array(NUM_CLASSES);
  readonly tagCounts = new Float64Array(NUM_CLASSES);
  readonly p10Sum = new Float64Array(NUM_CLASSES);

  constructor(categorySizes: number[]) {
    this.counts = categorySizes.map((n) => new Int32Array(n));
  }

  reserve(n: number) {
    if (n <= this.prodCol.length) return;
    const size = Math.max(n, this.prodCol.length * 2);
    this.prodCol = new Int32Array(size);
    this.teIdx = new Int32Array(size);
    this.level = [new Int32Array(size), new Int32Array(size), new Int32Array(size), new Int32Array(size)];
    this.spend = new Float32Array(size);
    this.quantity = new Float32Array(size);
  }

  quantityOf(col: number) {
    let q = 0;
    for (let k = 0; k < this.lines; k++) if (this.prodCol[k] === col) q += this.quantity[k]!;
    return q;
  }
}
