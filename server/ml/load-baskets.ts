import 'server-only';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { CONTEXT_FIELDS, LINE_CODE_FIELDS, type BasketTable, type CodedColumn } from '@/ml/data/basket-table';
import { labelIndex } from '@/ml/core/labels';
import { literal, openDuckDb } from '@/server/datasets/duckdb';
import { duckdbColumnsSpec } from '@/server/datasets/schema';

/**
 * Read transaction rows (CSV files, or a version's curated Parquet rows) into a
 * BasketTable. Every string column is dictionary-encoded inside DuckDB, so one
 * sorted, all-numeric result crosses into JavaScript and becomes typed arrays.
 */
export type BasketSource = { kind: 'csv'; files: string[] } | { kind: 'parquet'; rowsDir: string };

function sourceSql(source: BasketSource): string {
  if (source.kind === 'csv') {
    return `read_csv([${source.files.map(literal).join(', ')}], columns = ${duckdbColumnsSpec()}, header = true, auto_detect = false, dateformat = '%Y%m%d', quote = '"', escape = '"')`;
  }
  return `read_parquet(${literal(path.join(source.rowsDir, '**', '*.parquet'))}, hive_partitioning = true, hive_types = {'STORE_REGION': VARCHAR, 'BASKET_TYPE': VARCHAR})`;
}

/** Table field → source column, for every dictionary-encoded column. */
const CODED: Record<(typeof CONTEXT_FIELDS)[number] | (typeof LINE_CODE_FIELDS)[number] | 'label', string> = {
  prod: 'PROD_CODE', p10: 'PROD_CODE_10', p20: 'PROD_CODE_20', p30: 'PROD_CODE_30', p40: 'PROD_CODE_40',
  storeCode: 'STORE_CODE', storeFormat: 'STORE_FORMAT', storeRegion: 'STORE_REGION', basketSize: 'BASKET_SIZE',
  basketType: 'BASKET_TYPE', mission: 'BASKET_DOMINANT_MISSION', seg1: 'seg_1', seg2: 'seg_2', label: 'BASKET_PRICE_SENSITIVITY',
};
type CodedField = keyof typeof CODED;
const FIELDS = Object.keys(CODED) as CodedField[];

async function columnsOf(c: DuckDBConnection, sql: string) {
  return (await c.runAndReadAll(sql)).getColumnsJS();
}

export async function loadBaskets(source: BasketSource, opts: { weeks?: { from?: number; to?: number } } = {}): Promise<BasketTable> {
  const db = await openDuckDb();
  const c = db.connection;
  try {
    const where = [opts.weeks?.from !== undefined ? `SHOP_WEEK >= ${opts.weeks.from}` : null, opts.weeks?.to !== undefined ? `SHOP_WEEK <= ${opts.weeks.to}` : null].filter(Boolean);
    await c.run(`create table t as select * from ${sourceSql(source)} ${where.length ? `where ${where.join(' and ')}` : ''}`);
    // ENUM casts turn strings into dictionary codes inside DuckDB (far cheaper than joins).
    const dictionaries = {} as Record<CodedField, string[]>;
    for (const field of FIELDS) {
      await c.run(`create type e_${field} as enum (select distinct ${CODED[field]} from t where ${CODED[field]} is not null order by 1)`);
      dictionaries[field] = ((await columnsOf(c, `select unnest(enum_range(null::e_${field}))`))[0] ?? []) as string[];
    }
    const code = (field: CodedField) => `coalesce(enum_code(${CODED[field]}::e_${field})::INTEGER, -1)`;
    const basketFields = FIELDS.filter((f) => !(LINE_CODE_FIELDS as readonly string[]).includes(f));
    const baskets = await columnsOf(c, `select BASKET_ID::DOUBLE, any_value(SHOP_WEEK), any_value(SHOP_HOUR), any_value(SHOP_WEEKDAY), count(*)::INTEGER,
        ${basketFields.map((f) => `any_value(${code(f)})`).join(', ')}
      from t group by BASKET_ID order by BASKET_ID`);
    const lines = await columnsOf(c, `select ${LINE_CODE_FIELDS.map(code).join(', ')}, QUANTITY::FLOAT, SPEND::FLOAT from t order by BASKET_ID, PROD_CODE`);

    const [basketIds, weeks, hours, weekdays, counts, ...basketCodes] = baskets as number[][];
    const n = basketIds!.length;
    const lineOffsets = new Int32Array(n + 1);
    for (let b = 0; b < n; b++) lineOffsets[b + 1] = lineOffsets[b]! + counts![b]!;
    const byBasketField = Object.fromEntries(basketFields.map((f, i) => [f, basketCodes[i]!])) as Record<CodedField, number[]>;
    const column = (values: number[], field: CodedField): CodedColumn => ({ codes: Int32Array.from(values), dictionary: dictionaries[field] });
    const labelMap = dictionaries.label.map((l) => labelIndex(l));
    const [prod, p10, p20, p30, p40, quantity, spend] = lines as number[][];
    const lineCodes = { prod, p10, p20, p30, p40 } as Record<(typeof LINE_CODE_FIELDS)[number], number[]>;
    return {
      size: n,
      basketId: basketIds!.map((id) => String(id)),
      week: Int32Array.from(weeks!),
      hour: Int8Array.from(hours!),
      weekday: Int8Array.from(weekdays!),
      label: Int8Array.from(byBasketField.label, (c) => (c < 0 ? -1 : labelMap[c]!)),
      context: Object.fromEntries(CONTEXT_FIELDS.map((f) => [f, column(byBasketField[f], f)])) as BasketTable['context'],
      lineOffsets,
      lines: {
        ...(Object.fromEntries(LINE_CODE_FIELDS.map((f) => [f, column(lineCodes[f], f)])) as Record<(typeof LINE_CODE_FIELDS)[number], CodedColumn>),
        quantity: Float32Array.from(quantity!),
        spend: Float32Array.from(spend!),
      },
    };
  } finally {
    db.close();
  }
}
