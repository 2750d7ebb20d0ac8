import 'server-only';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { all, literal, one, openDuckDb } from '@/server/datasets/duckdb';
import { CODE_SETS, COLUMN_NAMES } from '@/server/datasets/schema';
import { AppError, notFound, parseInput } from '@/server/errors';
import { assertCan, type ServiceContext } from '../context';
import { localRowsDir } from './local-layers';

export const PAGE_SIZE = 50;

export const browseQuery = z.strictObject({
  weekFrom: z.coerce.number().int().min(199001).max(210053).optional(),
  weekTo: z.coerce.number().int().min(199001).max(210053).optional(),
  region: z.enum(CODE_SETS.STORE_REGION).optional(),
  basketType: z.enum(CODE_SETS.BASKET_TYPE).optional(),
  label: z.enum(CODE_SETS.BASKET_PRICE_SENSITIVITY).optional(),
  basketId: z.string().regex(/^\d{1,20}$/, 'must be a number').optional(),
  /** Keyset pagination: rows after (or before) a ROW_ID; `last` jumps to the end. */
  after: z.coerce.number().int().min(-1).optional(),
  before: z.coerce.number().int().min(0).optional(),
  last: z.enum(['1', 'true']).optional(),
  /** Only for display ("rows 51–100"): the data never changes, so the caller's page number stays true. */
  page: z.coerce.number().int().min(1).max(10_000_000).default(1),
});
export type BrowseQuery = z.input<typeof browseQuery>;

type BrowserDb = Awaited<ReturnType<typeof openDuckDb>>;
const globalRef = globalThis as unknown as { __pricesenseBrowserDb?: Promise<BrowserDb> };

/** One small DuckDB per process serves every browse query (reads Parquet, holds nothing). */
function browserDb() {
  globalRef.__pricesenseBrowserDb ??= openDuckDb({ threads: 2, memoryLimit: '512MB' });
  return globalRef.__pricesenseBrowserDb;
}

/**
 * A page of rows of a ready version, filtered by week range, region, basket type,
 * label or basket. Partition filters (region, basket type) skip whole files.
 */
export async function browseRows(ctx: ServiceContext, versionId: string, input: BrowseQuery | Record<string, unknown>) {
  assertCan(ctx, 'read');
  const q = parseInput(browseQuery, input);
  const version = await ctx.db.datasetVersion.findUnique({ where: { id: versionId }, select: { status: true, datasetId: true } });
  if (!version) throw notFound('Dataset version');
  if (version.status !== 'ready') throw new AppError('CONFLICT', `This version is ${version.status}; only ready versions can be browsed.`);
  const dir = await localRowsDir(ctx.adapters.storage, version.datasetId, versionId, ctx.adapters.workDir ?? os.tmpdir());

  const where: string[] = [];
  if (q.weekFrom !== undefined) where.push(`SHOP_WEEK >= ${q.weekFrom}`);
  if (q.weekTo !== undefined) where.push(`SHOP_WEEK <= ${q.weekTo}`);
  if (q.region) where.push(`STORE_REGION = ${literal(q.region)}`);
  if (q.basketType) where.push(`BASKET_TYPE = ${literal(q.basketType)}`);
  if (q.label) where.push(`BASKET_PRICE_SENSITIVITY = ${literal(q.label)}`);
  if (q.basketId) where.push(`BASKET_ID = ${q.basketId}`);
  const source = `read_parquet(${literal(path.join(dir, '**', '*.parquet'))}, hive_partitioning = true, hive_types = {'STORE_REGION': VARCHAR, 'BASKET_TYPE': VARCHAR})`;
  const filter = where.length ? `where ${where.join(' and ')}` : '';
  // A connection per request: a DuckDB connection runs one query at a time.
  const connection = await (await browserDb()).instance.connect();
  const started = performance.now();
  try {
    const { total } = await one<{ total: number }>(connection, `select count(*) as total from ${source} ${filter}`);
    const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const cursor = q.after !== undefined ? `ROW_ID > ${q.after}` : q.before !== undefined ? `ROW_ID < ${q.before}` : null;
    const pageFilter = cursor ? (filter ? `${filter} and ${cursor}` : `where ${cursor}`) : filter;
    const backwards = q.before !== undefined || q.last !== undefined;
    const columns = COLUMN_NAMES.map((c) => (c === 'BASKET_ID' ? 'BASKET_ID::VARCHAR as BASKET_ID' : c === 'SHOP_DATE' ? 'SHOP_DATE::VARCHAR as SHOP_DATE' : c)).join(', ');
    const fetched = await all(connection, `select ROW_ID, ${columns}, SOURCE_FILE from ${source} ${pageFilter}
      order by ROW_ID ${backwards ? 'desc' : 'asc'} limit ${PAGE_SIZE}`);
    const rows = backwards ? fetched.reverse() : fetched;
    const page = q.last !== undefined ? pageCount : Math.min(q.page, pageCount);
    const firstRowId = rows[0]?.ROW_ID as number | undefined;
    const lastRowId = rows.at(-1)?.ROW_ID as number | undefined;
    return {
      rows, total, page, pageSize: PAGE_SIZE, pageCount,
      firstRowId: firstRowId ?? null, lastRowId: lastRowId ?? null,
      hasPrevious: page > 1, hasNext: page < pageCount,
      queryMs: Math.round(performance.now() - started),
    };
  } finally {
    connection.closeSync();
  }
}
