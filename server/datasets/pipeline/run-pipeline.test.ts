import fs from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir, toCsv, transactionRows, writeTransactions } from '@/test/transactions';
import { all, literal, openDuckDb } from '../duckdb';
import { HEADER_LINE } from '../schema';
import { PipelineCancelled, runPipeline } from './run-pipeline';

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function run(files: { name: string; path: string }[], signal?: AbortSignal) {
  return runPipeline({ files, workDir: await fs.mkdtemp(path.join(dir, 'work-')), signal });
}

const failing = (result: Awaited<ReturnType<typeof run>>) => result.report.checks.filter((c) => !c.passed && c.severity === 'error');

describe('importing valid files', () => {
  it('validates, writes the partitioned rows and the basket table, and profiles the data', async () => {
    const a = await writeTransactions(dir, 'transactions_200607.csv.gz', toCsv(transactionRows({ week: 200607 })));
    const b = await writeTransactions(dir, 'transactions_200609.csv', toCsv(transactionRows({ week: 200609 })));
    const result = await run([a, b]);
    expect(result.report.status).toBe('passed');
    expect(result.files.map((f) => [f.name, f.rows, f.compressed])).toEqual([['transactions_200607.csv.gz', 30, true], ['transactions_200609.csv', 30, false]]);
    expect(result.profile!.counts).toMatchObject({ rows: 60, baskets: 20, labelledBaskets: 16, weeks: 2, firstWeek: 200607, lastWeek: 200609 });
    expect(result.profile!.labels).toEqual([
      { label: 'LA', rows: 12, baskets: 4 },
      { label: 'MM', rows: 24, baskets: 8 },
      { label: 'UM', rows: 12, baskets: 4 },
      { label: 'XX', rows: 12, baskets: 4 },
    ]);
    expect(result.profile!.histograms.quantity.find((bin) => bin.label === '3')?.count).toBe(20);
    expect(result.profile!.columns.find((c) => c.name === 'CUST_CODE')?.missing).toBe(12);
    expect(result.report.checks.find((c) => c.id === 'unknown_label')).toMatchObject({ passed: true, count: 4 });

    const regions = await fs.readdir(result.layers!.rowsDir);
    expect(regions.sort()).toEqual(['STORE_REGION=E02', 'STORE_REGION=W01']);
    const db = await openDuckDb({ threads: 1 });
    try {
      const rows = await all(db.connection, `select count(*) as n, count(distinct ROW_ID) as ids, min(ROW_ID) as first, max(ROW_ID) as last from read_parquet(${literal(path.join(result.layers!.rowsDir, '**', '*.parquet'))}, hive_partitioning = true)`);
      expect(rows[0]).toEqual({ n: 60, ids: 60, first: 0, last: 59 });
      const baskets = await all(db.connection, `select count(*) as n, sum(N_LINES) as lines, count(*) filter (where BASKET_PRICE_SENSITIVITY = 'XX') as xx, max(len(PRODUCTS)) as products from read_parquet(${literal(result.layers!.basketsFile)})`);
      expect(baskets[0]).toEqual({ n: 20, lines: 60, xx: 4, products: 3 });
    } finally {
      db.close();
    }
  });

  it('identifies content by the files’ bytes, whatever their names or order', async () => {
    const csv = toCsv(transactionRows({ week: 200610 }));
    const x = await writeTransactions(dir, 'x.csv', csv);
    const y = await writeTransactions(dir, 'y.csv', toCsv(transactionRows({ week: 200611 })));
    const renamed = await writeTransactions(dir, 'renamed.csv', csv);
    expect((await run([x, y])).contentHash).toBe((await run([y, renamed])).contentHash);
    expect((await run([x])).contentHash).not.toBe((await run([y])).contentHash);
  });

  it('records spend ≤ 0 and duplicate rows as warnings, and still accepts the data', async () => {
    const rows = transactionRows({ week: 200612 });
    rows[0]!.SPEND = '0';
    rows[4]!.SPEND = '-0.50';
    rows.push({ ...rows[7]! });
    const file = await writeTransactions(dir, 'transactions_200612.csv', toCsv(rows));
    const result = await run([file]);
    expect(result.report.status).toBe('warnings');
    expect(result.report.checks.find((c) => c.id === 'non_positive')).toMatchObject({ passed: false, count: 2, severity: 'warning' });
    expect(result.report.checks.find((c) => c.id === 'non_positive')!.examples[0]).toMatchObject({ file: 'transactions_200612.csv', row_in_file: 1, SPEND: 0 });
    expect(result.report.checks.find((c) => c.id === 'duplicates')).toMatchObject({ passed: false, count: 1 });
    expect(result.layers).not.toBeNull();
  });
});

describe('refusing bad input, naming the file and the problem', () => {
  it('a truncated gzip', async () => {
    const full = gzipSync(Buffer.from(toCsv(transactionRows({ week: 200613, baskets: 200 }))));
    const file = path.join(dir, 'transactions_200613.csv.gz');
    await fs.writeFile(file, full.subarray(0, Math.floor(full.length / 2)));
    const result = await run([{ name: 'transactions_200613.csv.gz', path: file }]);
    expect(result.report.status).toBe('failed');
    expect(failing(result)[0]?.message).toMatch(/^transactions_200613\.csv\.gz is not a complete gzip file .*truncated or corrupt/);
    expect(result.layers).toBeNull();
  });

  it('a wrong header and a file from a different dataset', async () => {
    const wrong = await writeTransactions(dir, 'wrong.csv', toCsv(transactionRows(), HEADER_LINE.replace('QUANTITY', 'QTY')));
    const other = await writeTransactions(dir, 'time.csv', 'shop_week,date_from,date_to\n200607,20060410,20060416\n');
    const result = await run([wrong, other]);
    const message = failing(result)[0]!.message;
    expect(message).toContain('wrong.csv has an unexpected header: column 5 is "QTY", expected "QUANTITY"');
    expect(message).toContain('time.csv has 3 columns in its header, expected the 22 columns');
  });

  it('an empty file, a header-only file and two identical files', async () => {
    const empty = await writeTransactions(dir, 'empty.csv', '');
    expect(failing(await run([empty]))[0]!.message).toBe('empty.csv is empty (0 bytes)');
    const headerOnly = await writeTransactions(dir, 'header-only.csv', `${HEADER_LINE}\n`);
    expect(failing(await run([headerOnly])).map((c) => c.message)).toEqual(['The files hold a header but no data rows.']);
    const csv = toCsv(transactionRows({ week: 200614 }));
    const one = await writeTransactions(dir, 'one.csv', csv);
    const two = await writeTransactions(dir, 'two.csv', csv);
    expect(failing(await run([one, two]))[0]!.message).toBe('two.csv has exactly the same content as one.csv; import it once');
  });

  it('mixed encodings: a Latin-1 byte in a UTF-8 file, with its file and line', async () => {
    const csv = toCsv(transactionRows({ week: 200615 }));
    const lines = csv.split('\n');
    const bytes = Buffer.concat([Buffer.from(lines.slice(0, 5).join('\n') + '\n'), Buffer.from(lines[5]!.replace('STORE0', 'STORE\u00e9'), 'latin1'), Buffer.from('\n' + lines.slice(6).join('\n'))]);
    const file = await writeTransactions(dir, 'latin.csv', bytes);
    const result = await run([file]);
    const parse = result.report.checks.find((c) => c.id === 'parse')!;
    expect(parse).toMatchObject({ passed: false, count: 1 });
    expect(parse.examples[0]).toMatchObject({ file: 'latin.csv', line: 6 });
    expect(String(parse.examples[0]!.problem)).toMatch(/invalid encoding.*utf-8/i);
  });

  it('wrong types and wrong column counts, counted with examples', async () => {
    const csv = toCsv(transactionRows({ week: 200616 })).split('\n');
    csv[2] = csv[2]!.replace(/,1\.\d\d,/, ',abc,');
    csv[3] = '200616,20060415,7,19,1';
    const file = await writeTransactions(dir, 'types.csv', csv.join('\n'));
    const parse = (await run([file])).report.checks.find((c) => c.id === 'parse')!;
    expect(parse.count).toBe(2);
    expect(parse.message).toMatch(/cast in SPEND/);
    expect(parse.message).toMatch(/missing columns/);
    expect(parse.examples.map((e) => e.line)).toEqual([3, 4]);
  });

  it('codes outside the allowed sets, and baskets whose rows disagree', async () => {
    const rows = transactionRows({ week: 200617 });
    rows[0]!.BASKET_SIZE = 'XL';
    rows[4]!.BASKET_PRICE_SENSITIVITY = 'UM';
    const result = await run([await writeTransactions(dir, 'codes.csv', toCsv(rows))]);
    const codes = result.report.checks.find((c) => c.id === 'code_sets')!;
    expect(codes).toMatchObject({ passed: false, count: 1 });
    expect(codes.message).toContain('BASKET_SIZE="XL" (1)');
    const baskets = result.report.checks.find((c) => c.id === 'basket_consistency')!;
    expect(baskets).toMatchObject({ passed: false, count: 2 });
    expect(baskets.message).toMatch(/BASKET_PRICE_SENSITIVITY \(1\)/);
    expect(result.layers).toBeNull();
  });
});

describe('cancelling', () => {
  it('stops at the next stage when the signal fires', async () => {
    const file = await writeTransactions(dir, 'transactions_200618.csv', toCsv(transactionRows({ week: 200618 })));
    const controller = new AbortController();
    controller.abort();
    await expect(run([file], controller.signal)).rejects.toBeInstanceOf(PipelineCancelled);
  });
});
