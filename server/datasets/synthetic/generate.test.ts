import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASKET_ATTRIBUTES, CODE_SETS, duckdbColumnsSpec, HEADER_LINE } from '../schema';
import {
  generateCsv, GenerateOptionError, handRuleLabel, resolveOptions, shopWeekAfter, shopWeekDates,
} from './generate';
import { AliasTable, Rng } from './random';
import { buildWorld, productTags } from './world';
import { writeSyntheticFile } from './write-file';

const dir = mkdtempSync(path.join(os.tmpdir(), 'synthetic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('random', () => {
  it('is deterministic per seed and stream, and differs across them', () => {
    const draw = (seed: number, stream: number) => { const rng = new Rng(seed, stream); return Array.from({ length: 5 }, () => rng.nextU32()); };
    expect(draw(42, 0)).toEqual(draw(42, 0));
    expect(draw(42, 0)).not.toEqual(draw(43, 0));
    expect(draw(42, 0)).not.toEqual(draw(42, 1));
  });

  it('alias tables draw in proportion to the weights', () => {
    const rng = new Rng(1);
    const table = new AliasTable([1, 0, 3, 6]);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 100_000; i++) counts[table.sample(rng)]!++;
    expect(counts[1]).toBe(0);
    expect(counts[0]! / 100_000).toBeCloseTo(0.1, 2);
    expect(counts[3]! / 100_000).toBeCloseTo(0.6, 2);
  });
});

describe('handRuleLabel', () => {
  it('labels by (#UM − #LA) / #lines with thresholds ±0.2 inclusive', () => {
    expect(handRuleLabel(['UM', 'MM', 'MM', 'MM', 'MM'])).toBe('UM'); // exactly 0.2
    expect(handRuleLabel(['UM', 'MM', 'MM', 'MM', 'MM', 'MM'])).toBe('MM'); // 1/6
    expect(handRuleLabel(['LA', 'LA', 'MM', 'MM', 'UM'])).toBe('LA'); // 3 lines against 15: −0.2
    expect(handRuleLabel(['LA', 'UM'])).toBe('MM');
    expect(handRuleLabel(['LA'])).toBe('LA');
  });
});

describe('options and calendar', () => {
  it('week 200607 runs Monday 2006-04-10 to Sunday 2006-04-16; weeks roll over after 52', () => {
    expect(shopWeekDates(200607)).toEqual(['20060410', '20060411', '20060412', '20060413', '20060414', '20060415', '20060416']);
    expect(shopWeekAfter(200652, 1)).toBe(200701);
    // Rows of the real time.csv.
    expect(shopWeekDates(200701)[0]).toBe('20070226');
    expect(shopWeekDates(200749)[6]).toBe('20080203');
    expect(shopWeekDates(200801)[0]).toBe('20080225');
    expect(shopWeekAfter(200607, 94)).toBe(200749);
  });

  it('defaults weeks to rows / 27000 clamped to 4…113, and rejects bad input naming the option', () => {
    expect(resolveOptions({ rows: 10, seed: 1 }).weeks).toBe(4);
    expect(resolveOptions({ rows: 2_519_777, seed: 1 }).weeks).toBe(93);
    expect(resolveOptions({ rows: 10_000_000, seed: 1 }).weeks).toBe(113);
    const optionOf = (fn: () => unknown) => { try { fn(); } catch (e) { return e instanceof GenerateOptionError ? e.option : 'other'; } return null; };
    expect(optionOf(() => resolveOptions({ rows: 0, seed: 1 }))).toBe('--rows');
    expect(optionOf(() => resolveOptions({ rows: 1.5, seed: 1 }))).toBe('--rows');
    expect(optionOf(() => resolveOptions({ rows: 10, seed: 0.5 }))).toBe('--seed');
    expect(optionOf(() => resolveOptions({ rows: 10, seed: 1, weeks: 0 }))).toBe('--weeks');
    expect(optionOf(() => resolveOptions({ rows: 10, seed: 1, startWeek: 200653 }))).toBe('--start-week');
    expect(optionOf(() => resolveOptions({ rows: 10, seed: 1, startWeek: 2006 }))).toBe('--start-week');
  });
});

describe('generateCsv', () => {
  const rows = 20_000;
  const text = generateCsv({ rows, seed: 7 });

  it('writes the real header and exactly N data rows of 22 fields', () => {
    const lines = text.split('\n');
    expect(lines[0]).toBe(HEADER_LINE);
    expect(lines.at(-1)).toBe(''); // newline-terminated
    expect(lines.length - 2).toBe(rows);
    expect(lines.slice(1, -1).every((l) => l.split(',').length === 22)).toBe(true);
    expect(text).toMatch(/,"","","",994100100\d{6},/); // blank customer fields written as ""
    expect(generateCsv({ rows: 1, seed: 7 }).split('\n')).toHaveLength(3);
  });

  it('is byte-identical for the same seed and differs for another', () => {
    expect(generateCsv({ rows, seed: 7 })).toBe(text);
    expect(generateCsv({ rows, seed: 8 })).not.toBe(text);
    expect(generateCsv({ rows, seed: 7, weeks: 9 })).not.toBe(text);
  });
});

describe('writeSyntheticFile', () => {
  it('writes identical gzip bytes for the same seed, matching the CSV text, with no temp file left', async () => {
    const a = await writeSyntheticFile({ rows: 20_000, seed: 7, out: path.join(dir, 'a.csv.gz') });
    const b = await writeSyntheticFile({ rows: 20_000, seed: 7, out: path.join(dir, 'b.csv.gz') });
    const bytesA = readFileSync(a.file);
    expect(bytesA.equals(readFileSync(b.file))).toBe(true);
    expect(a.bytes).toBe(bytesA.length);
    expect(gunzipSync(bytesA).toString('latin1')).toBe(generateCsv({ rows: 20_000, seed: 7 }));
    expect(a).toMatchObject({ rows: 20_000, weeks: 4, firstWeek: 200607, lastWeek: 200610 });
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('rejects an unwritable path and leaves nothing behind', async () => {
    await expect(writeSyntheticFile({ rows: 10, seed: 1, out: path.join(dir, 'missing', 'x.csv') })).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(writeSyntheticFile({ rows: 10, seed: 1, out: path.join(dir, 'x.txt') })).rejects.toBeInstanceOf(GenerateOptionError);
    expect(existsSync(path.join(dir, 'x.txt'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('calibration on 300,000 rows (DuckDB)', () => {
  const rows = 300_000;
  const seed = 11;
  let db: DuckDBInstance;
  let con: DuckDBConnection;
  const one = async <T = number>(sql: string): Promise<T> => {
    const reader = await con.runAndReadAll(sql);
    return reader.getRows()[0]![0] as T;
  };
  const num = async (sql: string) => Number(await one<unknown>(sql));

  beforeAll(async () => {
    const file = path.join(dir, 'calibration.csv.gz');
    await writeSyntheticFile({ rows, seed, out: file });
    db = await DuckDBInstance.create(':memory:');
    con = await db.connect();
    await con.run(`create table t as select * from read_csv('${file}', header=true, auto_detect=false, dateformat='%Y%m%d', columns=${duckdbColumnsSpec()})`);
    await con.run(`create table b as select BASKET_ID, any_value(BASKET_PRICE_SENSITIVITY) lbl, count(*) n, any_value(CUST_CODE) cust,
      any_value(seg_1) seg, any_value(BASKET_SIZE) sz, any_value(BASKET_TYPE) typ, any_value(BASKET_DOMINANT_MISSION) mis,
      any_value(STORE_FORMAT) fmt, list(PROD_CODE) products from t group by 1`);
  }, 60_000);
  afterAll(() => {
    con?.closeSync();
    db?.closeSync();
  });

  it('has exactly N rows and the real per-basket label shares (±2 points)', async () => {
    expect(await num('select count(*) from t')).toBe(rows);
    const real = { LA: 0.229, MM: 0.512, UM: 0.241, XX: 0.019 };
    for (const [label, share] of Object.entries(real)) {
      expect(Math.abs((await num(`select avg((lbl = '${label}')::int) from b`)) - share)).toBeLessThan(0.02);
    }
  });

  it('has the real lines-per-basket, spend, quantity and customer mix', async () => {
    expect(Math.abs((await num('select quantile_disc(n, 0.5) from b')) - 4)).toBeLessThanOrEqual(1);
    const p95 = await num('select quantile_disc(n, 0.95) from b');
    expect(p95).toBeGreaterThanOrEqual(15);
    expect(p95).toBeLessThanOrEqual(27);
    expect(await num(`select max(n) from b where sz = 'S'`)).toBeLessThanOrEqual(2);
    expect(await num(`select max(n) from b where sz = 'M'`)).toBeLessThanOrEqual(9);
    const spend = await num('select median(SPEND) from t');
    expect(spend).toBeGreaterThanOrEqual(1.05);
    expect(spend).toBeLessThanOrEqual(1.45);
    expect(await num('select count(*) from t where QUANTITY = 2 or QUANTITY < 1 or SPEND < 0')).toBe(0);
    expect(Math.abs((await num('select avg((QUANTITY = 1)::int) from t')) - 0.824)).toBeLessThan(0.01);
    const noCustomer = await num(`select avg((coalesce(cust, '') = '')::int) from b`);
    expect(noCustomer).toBeGreaterThanOrEqual(0.17);
    expect(noCustomer).toBeLessThanOrEqual(0.23);
    expect(await num(`select count(*) from t where (coalesce(CUST_CODE, '') = '') <> (coalesce(seg_1, '') = '')`)).toBe(0);
  });

  it('uses only known codes, in the real formats', async () => {
    for (const [column, values] of Object.entries(CODE_SETS)) {
      const list = values.map((v) => `'${v}'`).join(', ');
      expect(await num(`select count(*) from t where coalesce(${column}, '') <> '' and ${column} not in (${list})`), column).toBe(0);
    }
    const formats: Record<string, string> = {
      PROD_CODE: '^PRD09\\d{5}$', PROD_CODE_10: '^CL\\d{5}$', PROD_CODE_20: '^DEP\\d{5}$', PROD_CODE_30: '^G\\d{5}$',
      PROD_CODE_40: '^D\\d{5}$', STORE_CODE: '^STORE\\d{5}$', CUST_CODE: '^CUST\\d{10}$', BASKET_ID: '^\\d{15}$',
    };
    for (const [column, pattern] of Object.entries(formats)) {
      expect(await num(`select count(*) from t where ${column} is not null and not regexp_matches(${column}::varchar, '${pattern}')`), column).toBe(0);
    }
    expect(await num('select count(*) from t where SHOP_HOUR not between 8 and 22')).toBe(0);
  });

  it('keeps basket attributes constant within a basket and products unique within one', async () => {
    for (const column of [...BASKET_ATTRIBUTES, 'seg_1', 'seg_2']) {
      expect(await num(`select count(*) from (select BASKET_ID from t group by 1 having count(distinct coalesce(${column}::varchar, '∅')) > 1)`), column).toBe(0);
    }
    expect(await num('select count(*) from (select BASKET_ID, PROD_CODE from t group by 1, 2 having count(*) > 1)')).toBe(0);
  });

  it('dates match weekday and shop week', async () => {
    expect(await num('select count(*) from t where dayofweek(SHOP_DATE) + 1 <> SHOP_WEEKDAY')).toBe(0);
    const weeks = (await con.runAndReadAll('select SHOP_WEEK, strftime(min(SHOP_DATE), \'%Y%m%d\'), strftime(max(SHOP_DATE), \'%Y%m%d\') from t group by 1')).getRows();
    expect(weeks.length).toBe(resolveOptions({ rows, seed }).weeks);
    for (const [week, first, last] of weeks) {
      const dates = shopWeekDates(Number(week));
      expect(first! >= dates[0]! && last! <= dates[6]!, String(week)).toBe(true);
    }
  });

  it('has a tree-shaped product hierarchy and one format/region per store, one seg_1 per customer', async () => {
    for (const [child, parent] of [['PROD_CODE', 'PROD_CODE_10'], ['PROD_CODE_10', 'PROD_CODE_20'], ['PROD_CODE_20', 'PROD_CODE_30'], ['PROD_CODE_30', 'PROD_CODE_40'],
      ['STORE_CODE', 'STORE_FORMAT'], ['STORE_CODE', 'STORE_REGION'], ['CUST_CODE', 'seg_1'], ['CUST_CODE', 'seg_2']]) {
      expect(await num(`select count(*) from (select ${child} from t group by 1 having count(distinct coalesce(${parent}, '')) > 1)`), `${child} → ${parent}`).toBe(0);
    }
    expect(await num('select count(distinct PROD_CODE_10) from t')).toBe(250);
    expect(await num('select count(distinct PROD_CODE_40) from t')).toBe(9);
  });

  it('carries the signal: the hand rule agrees with ~97% of labelled baskets; one-line baskets follow their product', async () => {
    const tags = productTags(buildWorld(seed, resolveOptions({ rows, seed }).weeks));
    const baskets = (await con.runAndReadAll(`select lbl, products from b where lbl <> 'XX'`)).getRowsJson() as [string, string[]][];
    let agree = 0;
    let singleMismatch = 0;
    for (const [label, products] of baskets) {
      const lineTags = products.map((p) => tags.get(p)!);
      if (handRuleLabel(lineTags) === label) agree++;
      if (products.length === 1 && lineTags[0] !== label) singleMismatch++;
    }
    const agreement = agree / baskets.length;
    expect(agreement).toBeGreaterThanOrEqual(0.93);
    expect(agreement).toBeLessThanOrEqual(0.995);
    expect(singleMismatch).toBe(0);
  });

  it('leaks little through basket metadata (a lookup-table model stays near the majority class)', async () => {
    const accuracy = await num(`with m as (select * from b where lbl <> 'XX'),
      fit as (select seg, sz, typ, mis, fmt, arg_max(lbl, c) pred from
        (select seg, sz, typ, mis, fmt, lbl, count(*) c from m where BASKET_ID % 2 = 0 group by all) group by all)
      select avg((pred = lbl)::int) from m left join fit using (seg, sz, typ, mis, fmt) where BASKET_ID % 2 = 1`);
    expect(accuracy).toBeGreaterThan(0.5);
    expect(accuracy).toBeLessThan(0.62);
  });

  it('launches new products in later weeks, never selling one before its launch', async () => {
    const world = buildWorld(seed, resolveOptions({ rows, seed }).weeks);
    const firstSeen = (await con.runAndReadAll('select PROD_CODE, min(SHOP_WEEK) from t group by 1')).getRows() as [string, number][];
    const index = new Map(world.products.codes.map((code, p) => [code, p]));
    const weekIndex = (week: number) => { let i = 0; while (shopWeekAfter(200607, i) !== week) i++; return i; };
    let late = 0;
    for (const [code, week] of firstSeen) {
      const launched = world.products.introWeek[index.get(code)!]!;
      expect(weekIndex(week)).toBeGreaterThanOrEqual(launched);
      if (launched > 0) late++;
    }
    expect(late).toBeGreaterThan(100);
  });
});
