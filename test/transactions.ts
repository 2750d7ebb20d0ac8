import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { HEADER_LINE } from '../server/datasets/schema';

/**
 * Small, valid dunnhumby-format files for tests, written by hand so every value is
 * known. Baskets cycle through the labels; each basket has `linesPerBasket` rows.
 */
export type RowOverrides = Partial<Record<string, string>>;

const LABELS = ['LA', 'MM', 'UM', 'MM', 'XX'];

export function transactionRows(opts: { week?: number; baskets?: number; linesPerBasket?: number; basketOffset?: number } = {}) {
  const week = opts.week ?? 200607;
  const baskets = opts.baskets ?? 10;
  const lines = opts.linesPerBasket ?? 3;
  const rows: Record<string, string>[] = [];
  for (let b = 0; b < baskets; b++) {
    const id = String(994100100000000 + (opts.basketOffset ?? 0) + week * 1000 + b);
    const label = LABELS[b % LABELS.length]!;
    const hasCustomer = b % 4 !== 3;
    for (let l = 0; l < lines; l++) {
      rows.push({
        SHOP_WEEK: String(week), SHOP_DATE: '20060415', SHOP_WEEKDAY: '7', SHOP_HOUR: String(8 + (b % 14)),
        QUANTITY: String(l % 2 ? 3 : 1), SPEND: (1 + l * 0.37 + b * 0.01).toFixed(2),
        PROD_CODE: `PRD09${String(100 + ((b * 7 + l) % 40)).padStart(5, '0')}`, PROD_CODE_10: `CL00${String(1 + (l % 9)).padStart(3, '0')}`,
        PROD_CODE_20: `DEP00${String(1 + (l % 5)).padStart(3, '0')}`, PROD_CODE_30: 'G00002', PROD_CODE_40: 'D00001',
        CUST_CODE: hasCustomer ? `CUST00000${String(1000 + b).padStart(5, '0')}` : '', seg_1: hasCustomer ? 'CT' : '', seg_2: hasCustomer ? 'BU' : '',
        BASKET_ID: id, BASKET_SIZE: lines > 2 ? 'M' : 'S', BASKET_PRICE_SENSITIVITY: label, BASKET_TYPE: b % 2 ? 'Top Up' : 'Full Shop',
        BASKET_DOMINANT_MISSION: 'Fresh', STORE_CODE: `STORE000${String(1 + (b % 3)).padStart(2, '0')}`, STORE_FORMAT: 'LS', STORE_REGION: b % 3 ? 'E02' : 'W01',
      });
    }
  }
  return rows;
}

export function toCsv(rows: Record<string, string>[], header = HEADER_LINE): string {
  const columns = header.split(',');
  const quote = (v: string) => (v === '' ? '""' : /[",]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  return `${header}\n${rows.map((r) => columns.map((c) => quote(r[c] ?? '')).join(',')).join('\n')}\n`;
}

export async function tempDir(prefix = 'pricesense-test-') {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

export async function writeTransactions(dir: string, name: string, content: string | Buffer) {
  const file = path.join(dir, name);
  const body = typeof content === 'string' ? Buffer.from(content) : content;
  await fs.writeFile(file, name.endsWith('.gz') ? gzipSync(body) : body);
  return { name, path: file };
}
