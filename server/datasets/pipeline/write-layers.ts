import fs from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { literal } from '../duckdb';
import { BASKET_ATTRIBUTES } from '../schema';

/**
 * The curated layers written from the validated `rows` table:
 * - rows/: typed rows as Parquet, hive-partitioned by STORE_REGION and BASKET_TYPE,
 *   each with its ROW_ID (position in the import, in file order) and SOURCE_FILE;
 * - baskets.parquet: one row per basket, in import order: its label, attributes,
 *   aggregates and product list — the table training starts from.
 */
export const LAYOUT = { rows: 'rows', baskets: 'baskets.parquet' } as const;

export async function writeRowLayer(c: DuckDBConnection, outDir: string) {
  const rowsDir = path.join(outDir, LAYOUT.rows);
  await fs.mkdir(outDir, { recursive: true });
  // One thread without insertion-order bookkeeping writes each partition in ROW_ID
  // order (so small row groups let the browser skip straight to a page) without
  // buffering every partition, which exhausts memory on large imports. The
  // settings are per instance: callers run other work on one thread meanwhile.
  await c.run('set preserve_insertion_order = false');
  await c.run('set threads = 1');
  try {
    await c.run(`copy (select rowid as ROW_ID, * from rows) to ${literal(rowsDir)}
      (format parquet, compression zstd, partition_by (STORE_REGION, BASKET_TYPE), row_group_size 16384, overwrite_or_ignore)`);
  } finally {
    await c.run('set preserve_insertion_order = true');
    await c.run('reset threads');
  }
  return rowsDir;
}

export async function writeBasketLayer(c: DuckDBConnection, outDir: string) {
  const basketsFile = path.join(outDir, LAYOUT.baskets);
  await fs.mkdir(outDir, { recursive: true });
  await c.run(`copy (
      select BASKET_ID, ${BASKET_ATTRIBUTES.map((a) => `any_value(${a}) as ${a}`).join(', ')},
        any_value(seg_1) as seg_1, any_value(seg_2) as seg_2,
        count(*)::INTEGER as N_LINES, sum(QUANTITY)::INTEGER as TOTAL_QUANTITY, round(sum(SPEND), 2) as TOTAL_SPEND,
        list(PROD_CODE order by PROD_CODE) as PRODUCTS, min(rowid) as FIRST_ROW_ID
      from rows group by BASKET_ID order by FIRST_ROW_ID
    ) to ${literal(basketsFile)} (format parquet, compression zstd)`);
  return basketsFile;
}

/** Every file under a folder, relative paths with forward slashes (what goes to storage). */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
  }
  return out.sort();
}
