/**
 * The dunnhumby transaction schema: 22 columns, their types and the code sets a
 * valid file uses. Facts measured on the real files are in
 * ../shared/data/dunnhumby/README.md. Shared by validation, profiling, the
 * synthetic generator and the row browser.
 */

export const COLUMNS = [
  { name: 'SHOP_WEEK', type: 'INTEGER', kind: 'integer', required: true, description: 'shop week, YYYYWW' },
  { name: 'SHOP_DATE', type: 'DATE', kind: 'date', required: true, description: 'date of the visit, YYYYMMDD' },
  { name: 'SHOP_WEEKDAY', type: 'TINYINT', kind: 'integer', required: true, description: 'day of week, 1 = Sunday … 7 = Saturday' },
  { name: 'SHOP_HOUR', type: 'TINYINT', kind: 'integer', required: true, description: 'hour of the visit, 0–23' },
  { name: 'QUANTITY', type: 'INTEGER', kind: 'integer', required: true, description: 'units bought' },
  { name: 'SPEND', type: 'DOUBLE', kind: 'number', required: true, description: 'amount spent, GBP' },
  { name: 'PROD_CODE', type: 'VARCHAR', kind: 'code', required: true, description: 'product' },
  { name: 'PROD_CODE_10', type: 'VARCHAR', kind: 'code', required: true, description: 'product hierarchy level 10 (≈250 classes)' },
  { name: 'PROD_CODE_20', type: 'VARCHAR', kind: 'code', required: true, description: 'product hierarchy level 20 (≈90 departments)' },
  { name: 'PROD_CODE_30', type: 'VARCHAR', kind: 'code', required: true, description: 'product hierarchy level 30 (≈31 groups)' },
  { name: 'PROD_CODE_40', type: 'VARCHAR', kind: 'code', required: true, description: 'product hierarchy level 40 (≈9 divisions)' },
  { name: 'CUST_CODE', type: 'VARCHAR', kind: 'code', required: false, description: 'customer (blank for ~20% of baskets)' },
  { name: 'seg_1', type: 'VARCHAR', kind: 'category', required: false, description: "customer's own price sensitivity segment" },
  { name: 'seg_2', type: 'VARCHAR', kind: 'category', required: false, description: "customer's life stage segment" },
  { name: 'BASKET_ID', type: 'BIGINT', kind: 'id', required: true, description: 'basket (one shopping visit)' },
  { name: 'BASKET_SIZE', type: 'VARCHAR', kind: 'category', required: true, description: 'S / M / L' },
  { name: 'BASKET_PRICE_SENSITIVITY', type: 'VARCHAR', kind: 'category', required: true, description: 'the label: LA / MM / UM (XX unknown)' },
  { name: 'BASKET_TYPE', type: 'VARCHAR', kind: 'category', required: true, description: 'Full Shop / Top Up / Small Shop / XX' },
  { name: 'BASKET_DOMINANT_MISSION', type: 'VARCHAR', kind: 'category', required: true, description: 'Fresh / Mixed / Grocery / Nonfood / XX' },
  { name: 'STORE_CODE', type: 'VARCHAR', kind: 'code', required: true, description: 'store' },
  { name: 'STORE_FORMAT', type: 'VARCHAR', kind: 'category', required: true, description: 'LS / MS / SS / XLS' },
  { name: 'STORE_REGION', type: 'VARCHAR', kind: 'category', required: true, description: 'E01–E03, N01–N03, S01–S03, W01–W03' },
] as const;

export type ColumnName = (typeof COLUMNS)[number]['name'];
export const COLUMN_NAMES: readonly ColumnName[] = COLUMNS.map((c) => c.name);
export const HEADER_LINE = COLUMN_NAMES.join(',');

export const LABELS = ['LA', 'MM', 'UM'] as const;
export type Label = (typeof LABELS)[number];
export const UNKNOWN_LABEL = 'XX';

/** Allowed values per categorical column. */
export const CODE_SETS = {
  BASKET_SIZE: ['S', 'M', 'L'],
  BASKET_PRICE_SENSITIVITY: ['LA', 'MM', 'UM', 'XX'],
  BASKET_TYPE: ['Full Shop', 'Top Up', 'Small Shop', 'XX'],
  BASKET_DOMINANT_MISSION: ['Fresh', 'Mixed', 'Grocery', 'Nonfood', 'XX'],
  STORE_FORMAT: ['LS', 'MS', 'SS', 'XLS'],
  STORE_REGION: ['E01', 'E02', 'E03', 'N01', 'N02', 'N03', 'S01', 'S02', 'S03', 'W01', 'W02', 'W03'],
  seg_1: ['AZ', 'BG', 'CT', 'DY'],
  seg_2: ['AT', 'BU', 'CZ', 'DI', 'EQ', 'FN'],
} as const satisfies Partial<Record<ColumnName, readonly string[]>>;

/** seg_1 decodes to the customer's own price sensitivity; seg_2 to life stage. */
export const SEG_1_MEANING = { AZ: 'LA', BG: 'UM', CT: 'MM', DY: 'XX' } as const;
export const SEG_2_MEANING = { AT: 'YA', BU: 'OT', CZ: 'OA', DI: 'YF', EQ: 'OF', FN: 'PE' } as const;

/** Attributes of a basket: every row of one basket must agree on them. */
export const BASKET_ATTRIBUTES = [
  'SHOP_WEEK', 'SHOP_DATE', 'SHOP_WEEKDAY', 'SHOP_HOUR', 'CUST_CODE', 'BASKET_SIZE', 'BASKET_PRICE_SENSITIVITY',
  'BASKET_TYPE', 'BASKET_DOMINANT_MISSION', 'STORE_CODE', 'STORE_FORMAT', 'STORE_REGION',
] as const satisfies readonly ColumnName[];

/** DuckDB read_csv `columns` argument for the typed schema. */
export function duckdbColumnsSpec(): string {
  return `{${COLUMNS.map((c) => `'${c.name}': '${c.type}'`).join(', ')}}`;
}

/** transactions_YYYYWW.csv[.gz] → YYYYWW, or null for other names. */
export function weekFromFileName(name: string): number | null {
  const match = /^transactions_(\d{6})\.csv(\.gz)?$/i.exec(name);
  return match ? Number(match[1]) : null;
}

export function isValidShopWeek(week: number): boolean {
  const year = Math.floor(week / 100);
  const w = week % 100;
  return year >= 1990 && year <= 2100 && w >= 1 && w <= 53;
}
