import { MlError } from '../core/errors';
import { labelIndex } from '../core/labels';

/**
 * Baskets in columnar form: what training, evaluation, batch scoring and the
 * inference service all feed to the feature pipeline. Strings are dictionary
 * encoded once (per table), lines are stored flat with offsets, so 400,000
 * baskets of 2.5 million lines fit in typed arrays.
 */
export const CONTEXT_FIELDS = ['storeCode', 'storeFormat', 'storeRegion', 'basketSize', 'basketType', 'mission', 'seg1', 'seg2'] as const;
export type ContextField = (typeof CONTEXT_FIELDS)[number];

export const LINE_CODE_FIELDS = ['prod', 'p10', 'p20', 'p30', 'p40'] as const;
export type LineCodeField = (typeof LINE_CODE_FIELDS)[number];

/** A column of strings as codes into a dictionary; -1 = missing. */
export type CodedColumn = { codes: Int32Array; dictionary: string[] };

export type BasketTable = {
  size: number;
  basketId: string[];
  week: Int32Array;
  hour: Int8Array;
  weekday: Int8Array;
  /** 0 LA, 1 MM, 2 UM; -1 unknown (XX or not given). */
  label: Int8Array;
  context: Record<ContextField, CodedColumn>;
  /** Lines of basket b are lineOffsets[b] .. lineOffsets[b+1]-1. */
  lineOffsets: Int32Array;
  lines: Record<LineCodeField, CodedColumn> & { quantity: Float32Array; spend: Float32Array };
};

export type BasketLine = { prod: string; p10?: string | null; p20?: string | null; p30?: string | null; p40?: string | null; quantity: number; spend: number };

/** One basket as the prediction API and tests describe it. */
export type BasketInput = {
  basketId?: string;
  week?: number;
  hour?: number;
  weekday?: number;
  label?: string | null;
  lines: BasketLine[];
} & Partial<Record<ContextField, string | null>>;

class Coder {
  private readonly index = new Map<string, number>();
  readonly dictionary: string[] = [];

  code(value: string | null | undefined): number {
    if (value === null || value === undefined || value === '') return -1;
    let code = this.index.get(value);
    if (code === undefined) {
      code = this.dictionary.length;
      this.index.set(value, code);
      this.dictionary.push(value);
    }
    return code;
  }
}

class GrowableInt32 {
  data: Int32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }
  push(v: number) {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  done() {
    return this.data.slice(0, this.length);
  }
}

class GrowableFloat32 {
  data: Float32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Float32Array(capacity);
  }
  push(v: number) {
    if (this.length === this.data.length) {
      const next = new Float32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  done() {
    return this.data.slice(0, this.length);
  }
}

/** Build a table basket by basket (from files, a database, or JSON requests). */
export class BasketTableBuilder {
  private readonly ids: string[] = [];
  private readonly week: GrowableInt32;
  private readonly hour: GrowableInt32;
  private readonly weekday: GrowableInt32;
  private readonly label: GrowableInt32;
  private readonly offsets: GrowableInt32;
  private readonly contextCoders = Object.fromEntries(CONTEXT_FIELDS.map((f) => [f, new Coder()])) as Record<ContextField, Coder>;
  private readonly contextCodes: Record<ContextField, GrowableInt32>;
  private readonly lineCoders = Object.fromEntries(LINE_CODE_FIELDS.map((f) => [f, new Coder()])) as Record<LineCodeField, Coder>;
  private readonly lineCodes: Record<LineCodeField, GrowableInt32>;
  private readonly quantity: GrowableFloat32;
  private readonly spend: GrowableFloat32;
  private lineCount = 0;

  /** Capacities are hints (they grow); small ones keep single-basket requests cheap. */
  constructor(capacity: { baskets: number; lines: number } = { baskets: 1024, lines: 4096 }) {
    const b = Math.max(1, capacity.baskets) + 1;
    const l = Math.max(1, capacity.lines);
    this.week = new GrowableInt32(b);
    this.hour = new GrowableInt32(b);
    this.weekday = new GrowableInt32(b);
    this.label = new GrowableInt32(b);
    this.offsets = new GrowableInt32(b);
    this.contextCodes = Object.fromEntries(CONTEXT_FIELDS.map((f) => [f, new GrowableInt32(b)])) as Record<ContextField, GrowableInt32>;
    this.lineCodes = Object.fromEntries(LINE_CODE_FIELDS.map((f) => [f, new GrowableInt32(l)])) as Record<LineCodeField, GrowableInt32>;
    this.quantity = new GrowableFloat32(l);
    this.spend = new GrowableFloat32(l);
    this.offsets.push(0);
  }

  /** Start a basket; then call addLine for each of its lines. */
  startBasket(b: Omit<BasketInput, 'lines'>) {
    this.ids.push(b.basketId ?? String(this.ids.length));
    this.week.push(b.week ?? 0);
    this.hour.push(b.hour ?? -1);
    this.weekday.push(b.weekday ?? -1);
    this.label.push(labelIndex(b.label));
    for (const f of CONTEXT_FIELDS) this.contextCodes[f].push(this.contextCoders[f].code(b[f]));
    if (this.ids.length > 1) this.offsets.push(this.lineCount);
  }

  addLine(line: BasketLine) {
    for (const f of LINE_CODE_FIELDS) this.lineCodes[f].push(this.lineCoders[f].code(line[f]));
    this.quantity.push(line.quantity);
    this.spend.push(line.spend);
    this.lineCount++;
  }

  addBasket(b: BasketInput) {
    this.startBasket(b);
    for (const line of b.lines) this.addLine(line);
  }

  build(): BasketTable {
    const offsets = this.offsets.done();
    const lineOffsets = new Int32Array(this.ids.length + 1);
    lineOffsets.set(offsets.subarray(0, this.ids.length));
    lineOffsets[this.ids.length] = this.lineCount;
    if (this.ids.length === 0) lineOffsets[0] = 0;
    return {
      size: this.ids.length,
      basketId: this.ids,
      week: this.week.done(),
      hour: Int8Array.from(this.hour.done()),
      weekday: Int8Array.from(this.weekday.done()),
      label: Int8Array.from(this.label.done()),
      context: Object.fromEntries(CONTEXT_FIELDS.map((f) => [f, { codes: this.contextCodes[f].done(), dictionary: this.contextCoders[f].dictionary }])) as BasketTable['context'],
      lineOffsets,
      lines: {
        ...(Object.fromEntries(LINE_CODE_FIELDS.map((f) => [f, { codes: this.lineCodes[f].done(), dictionary: this.lineCoders[f].dictionary }])) as Record<LineCodeField, CodedColumn>),
        quantity: this.quantity.done(),
        spend: this.spend.done(),
      },
    };
  }
}

/** Dictionary-encode a column of strings (null or '' = missing). */
export function codedColumn(values: ArrayLike<string | null | undefined>): CodedColumn {
  const coder = new Coder();
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) codes[i] = coder.code(values[i]);
  return { codes, dictionary: coder.dictionary };
}

export function tableFromBaskets(baskets: BasketInput[]): BasketTable {
  let lines = 0;
  for (const b of baskets) lines += b.lines?.length ?? 0;
  const builder = new BasketTableBuilder({ baskets: baskets.length, lines });
  for (const b of baskets) {
    if (!b.lines?.length) throw new MlError('INVALID_DATA', `basket ${b.basketId ?? '?'} has no lines`);
    builder.addBasket(b);
  }
  return builder.build();
}

/** Baskets selected by index (e.g. a time split); dictionaries are shared. */
export function selectBaskets(table: BasketTable, indices: ArrayLike<number>): BasketTable {
  const n = indices.length;
  let lines = 0;
  for (let i = 0; i < n; i++) lines += table.lineOffsets[indices[i]! + 1]! - table.lineOffsets[indices[i]!]!;
  const lineOffsets = new Int32Array(n + 1);
  const pick = <T extends Int32Array | Float32Array>(src: T, make: (len: number) => T) => {
    const out = make(lines);
    let at = 0;
    for (let i = 0; i < n; i++) {
      const start = table.lineOffsets[indices[i]!]!;
      const end = table.lineOffsets[indices[i]! + 1]!;
      out.set(src.subarray(start, end), at);
      at += end - start;
    }
    return out;
  };
  let at = 0;
  for (let i = 0; i < n; i++) {
    at += table.lineOffsets[indices[i]! + 1]! - table.lineOffsets[indices[i]!]!;
    lineOffsets[i + 1] = at;
  }
  const gather = <T extends Int32Array | Int8Array>(src: T, make: (len: number) => T) => {
    const out = make(n);
    for (let i = 0; i < n; i++) out[i] = src[indices[i]!]!;
    return out;
  };
  return {
    size: n,
    basketId: Array.from({ length: n }, (_, i) => table.basketId[indices[i]!]!),
    week: gather(table.week, (l) => new Int32Array(l)),
    hour: gather(table.hour, (l) => new Int8Array(l)),
    weekday: gather(table.weekday, (l) => new Int8Array(l)),
    label: gather(table.label, (l) => new Int8Array(l)),
    context: Object.fromEntries(CONTEXT_FIELDS.map((f) => [f, { codes: gather(table.context[f].codes, (l) => new Int32Array(l)), dictionary: table.context[f].dictionary }])) as BasketTable['context'],
    lineOffsets,
    lines: {
      ...(Object.fromEntries(LINE_CODE_FIELDS.map((f) => [f, { codes: pick(table.lines[f].codes, (l) => new Int32Array(l)), dictionary: table.lines[f].dictionary }])) as Record<LineCodeField, CodedColumn>),
      quantity: pick(table.lines.quantity, (l) => new Float32Array(l)),
      spend: pick(table.lines.spend, (l) => new Float32Array(l)),
    },
  };
}

/** Indices of baskets with a known label, optionally limited to a week range. */
export function labelledIndices(table: BasketTable, weeks?: { from?: number; to?: number }): Int32Array {
  const out: number[] = [];
  for (let b = 0; b < table.size; b++) {
    if (table.label[b]! < 0) continue;
    if (weeks?.from !== undefined && table.week[b]! < weeks.from) continue;
    if (weeks?.to !== undefined && table.week[b]! > weeks.to) continue;
    out.push(b);
  }
  return Int32Array.from(out);
}

/** A table flattened into kernel arguments, its arrays in memory every thread sees. */
export function shareTable(table: BasketTable, share: <T extends Int32Array | Int8Array | Float32Array>(a: T) => T): Record<string, Int32Array | Int8Array | Float32Array | string[] | number> {
  const out: Record<string, Int32Array | Int8Array | Float32Array | string[] | number> = {
    size: table.size, lineOffsets: share(table.lineOffsets), week: share(table.week), hour: share(table.hour), weekday: share(table.weekday), label: share(table.label),
    quantity: share(table.lines.quantity), spend: share(table.lines.spend),
  };
  for (const f of LINE_CODE_FIELDS) {
    out[`line.${f}`] = share(table.lines[f].codes);
    out[`line.${f}.dict`] = table.lines[f].dictionary;
  }
  for (const f of CONTEXT_FIELDS) {
    out[`ctx.${f}`] = share(table.context[f].codes);
    out[`ctx.${f}.dict`] = table.context[f].dictionary;
  }
  return out;
}

/** The table shareTable flattened (basket ids are not carried). */
export function tableFromShared(args: Record<string, unknown>): BasketTable {
  const size = args.size as number;
  return {
    size, basketId: [], week: args.week as Int32Array, hour: args.hour as Int8Array, weekday: args.weekday as Int8Array, label: args.label as Int8Array,
    lineOffsets: args.lineOffsets as Int32Array,
    context: Object.fromEntries(CONTEXT_FIELDS.map((f) => [f, { codes: args[`ctx.${f}`] as Int32Array, dictionary: args[`ctx.${f}.dict`] as string[] }])) as BasketTable['context'],
    lines: {
      ...(Object.fromEntries(LINE_CODE_FIELDS.map((f) => [f, { codes: args[`line.${f}`] as Int32Array, dictionary: args[`line.${f}.dict`] as string[] }])) as Record<LineCodeField, CodedColumn>),
      quantity: args.quantity as Float32Array,
      spend: args.spend as Float32Array,
    },
  };
}
