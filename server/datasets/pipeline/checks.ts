import type { DuckDBConnection } from '@duckdb/node-api';
import type { Check, QualityReport } from '@/lib/datasets/types';
import { all, identifier, literal, one } from '../duckdb';
import { BASKET_ATTRIBUTES, CODE_SETS, COLUMNS, weekFromFileName } from '../schema';
import type { RejectedLines } from './load';

/**
 * The data-quality checks. Each names what it looks at, how many rows or baskets
 * fail it and a few examples; "error" checks reject the version, "warning" and
 * "info" checks are recorded and shown.
 */
export type { Check, QualityReport, Severity } from '@/lib/datasets/types';

const EXAMPLES = 5;
const EXAMPLE_COLUMNS = `SOURCE_FILE as file, (rowid - min(rowid) over (partition by SOURCE_FILE) + 1)::BIGINT as row_in_file, BASKET_ID::VARCHAR as BASKET_ID`;

function check(partial: Omit<Check, 'passed' | 'examples'> & { examples?: Check['examples'] }): Check {
  return { ...partial, passed: partial.count === 0, examples: partial.examples ?? [] };
}

export function summarise(checks: Check[], rows: number, files: number): QualityReport {
  const failedError = checks.some((c) => c.severity === 'error' && !c.passed);
  const failedWarning = checks.some((c) => c.severity === 'warning' && !c.passed);
  return { status: failedError ? 'failed' : failedWarning ? 'warnings' : 'passed', checkedAt: new Date().toISOString(), rows, files, checks };
}

export function parseCheck(rejected: RejectedLines | null): Check {
  if (!rejected) return check({ id: 'parse', title: 'Every line parses with the schema’s types', severity: 'error', count: 0, unit: 'rows', message: 'All lines have 22 fields of the right types and valid UTF-8.' });
  const kinds = rejected.byKind.map((k) => `${k.lines} × ${k.kind.toLowerCase()}${k.column ? ` in ${k.column}` : ''}`).join(', ');
  return check({
    id: 'parse',
    title: 'Every line parses with the schema’s types',
    severity: 'error',
    count: rejected.rows,
    unit: 'rows',
    message: `${rejected.rows} line(s) could not be read: ${kinds}.`,
    examples: rejected.examples.map((e) => ({ file: e.file, line: e.line, problem: `${e.kind.toLowerCase()}${e.column ? ` (${e.column})` : ''}: ${e.message}`, text: e.text })),
  });
}

async function requiredValues(c: DuckDBConnection): Promise<Check> {
  const required = COLUMNS.filter((col) => col.required).map((col) => col.name);
  const counts = await one(c, `select ${required.map((name) => `count(*) filter (where ${identifier(name)} is null) as ${identifier(name)}`).join(', ')} from rows`);
  const missing = Object.entries(counts).filter(([, n]) => Number(n) > 0);
  const total = missing.reduce((sum, [, n]) => sum + Number(n), 0);
  const examples = total
    ? await all(c, `select ${EXAMPLE_COLUMNS}, ${required.map(identifier).join(', ')} from rows qualify ${required.map((n) => `${identifier(n)} is null`).join(' or ')} limit ${EXAMPLES}`)
    : [];
  return check({
    id: 'required', title: 'Required values are present', severity: 'error', count: total, unit: 'values',
    message: total ? `Missing values: ${missing.map(([col, n]) => `${col} ${n}`).join(', ')}.` : 'Every required column has a value in every row (only CUST_CODE, seg_1 and seg_2 may be blank).',
    examples,
  });
}

async function codeSets(c: DuckDBConnection): Promise<Check> {
  const parts = Object.entries(CODE_SETS).map(([column, allowed]) =>
    `select ${literal(column)} as "column", ${identifier(column)}::VARCHAR as value, count(*) as n from rows
     where ${identifier(column)} is not null and ${identifier(column)} not in (${allowed.map(literal).join(', ')}) group by all`,
  );
  const bad = await all<{ column: string; value: string; n: number }>(c, `${parts.join(' union all ')} order by n desc`);
  const total = bad.reduce((sum, b) => sum + b.n, 0);
  return check({
    id: 'code_sets', title: 'Codes are from the allowed sets', severity: 'error', count: total, unit: 'rows',
    message: total
      ? `Unknown codes: ${bad.slice(0, 6).map((b) => `${b.column}="${b.value}" (${b.n})`).join(', ')}${bad.length > 6 ? ', …' : ''}.`
      : `${Object.keys(CODE_SETS).join(', ')} only use their documented codes.`,
    examples: bad.slice(0, EXAMPLES).map((b) => ({ column: b.column, value: b.value, rows: b.n, allowed: CODE_SETS[b.column as keyof typeof CODE_SETS].join(' / ') })),
  });
}

async function ranges(c: DuckDBConnection): Promise<Check> {
  const rule = `not (SHOP_HOUR between 0 and 23) or not (SHOP_WEEKDAY between 1 and 7)
    or not (SHOP_WEEK // 100 between 1990 and 2100 and SHOP_WEEK % 100 between 1 and 53)
    or not (SHOP_DATE between DATE '1990-01-01' and DATE '2100-12-31')`;
  const { n } = await one<{ n: number }>(c, `select count(*) as n from rows where ${rule}`);
  const examples = n ? await all(c, `select ${EXAMPLE_COLUMNS}, SHOP_WEEK, SHOP_DATE, SHOP_WEEKDAY, SHOP_HOUR from rows qualify ${rule} limit ${EXAMPLES}`) : [];
  return check({
    id: 'ranges', title: 'Dates, weeks and hours are in range', severity: 'error', count: n, unit: 'rows',
    message: n ? `${n} row(s) have an impossible week (YYYYWW), date, weekday (1–7) or hour (0–23).` : 'Weeks are YYYYWW, weekdays 1–7, hours 0–23, dates plausible.',
    examples,
  });
}

async function basketConsistency(c: DuckDBConnection): Promise<Check> {
  // min <> max (and a mix of blank and non-blank) is far cheaper than count(distinct) per attribute.
  const differs = (a: string) => `(min(${identifier(a)}) <> max(${identifier(a)}) or (count(${identifier(a)}) > 0 and count(${identifier(a)}) < count(*)))`;
  const base = `select BASKET_ID, ${BASKET_ATTRIBUTES.map((a) => `${differs(a)} as ${identifier(a)}`).join(', ')} from rows group by BASKET_ID`;
  const counts = await one(c, `select count(*) filter (where ${BASKET_ATTRIBUTES.map(identifier).join(' or ')}) as baskets,
    ${BASKET_ATTRIBUTES.map((a) => `count(*) filter (where ${identifier(a)}) as ${identifier(a)}`).join(', ')} from (${base})`);
  const baskets = Number(counts.baskets);
  const which = BASKET_ATTRIBUTES.filter((a) => Number(counts[a]) > 0);
  const examples = baskets
    ? await all(c, `select BASKET_ID::VARCHAR as BASKET_ID, ${which.map((a) => `string_agg(distinct coalesce(${identifier(a)}::VARCHAR, '(blank)'), ' | ') as ${identifier(a)}`).join(', ')}
        from rows where BASKET_ID in (select BASKET_ID from (${base}) where ${which.map(identifier).join(' or ')} limit ${EXAMPLES}) group by BASKET_ID`)
    : [];
  return check({
    id: 'basket_consistency', title: 'Basket attributes are constant within each basket', severity: 'error', count: baskets, unit: 'baskets',
    message: baskets
      ? `${baskets} basket(s) disagree across their rows on ${which.map((a) => `${a} (${counts[a]})`).join(', ')}. The label is a basket attribute, so this must be fixed.`
      : `Every basket's rows agree on ${BASKET_ATTRIBUTES.join(', ')}.`,
    examples,
  });
}

async function nonPositive(c: DuckDBConnection): Promise<Check> {
  const { n, spend, quantity } = await one<{ n: number; spend: number; quantity: number }>(c,
    `select count(*) filter (where SPEND <= 0 or QUANTITY <= 0) as n, count(*) filter (where SPEND <= 0) as spend, count(*) filter (where QUANTITY <= 0) as quantity from rows`);
  const examples = n ? await all(c, `select ${EXAMPLE_COLUMNS}, PROD_CODE, QUANTITY, SPEND from rows qualify SPEND <= 0 or QUANTITY <= 0 limit ${EXAMPLES}`) : [];
  return check({
    id: 'non_positive', title: 'Spend and quantity are positive', severity: 'warning', count: n, unit: 'rows',
    message: n ? `${spend} row(s) with SPEND ≤ 0 and ${quantity} with QUANTITY ≤ 0 (kept; training uses them as they are).` : 'Every row has SPEND > 0 and QUANTITY > 0.',
    examples,
  });
}

async function duplicates(c: DuckDBConnection): Promise<Check> {
  // Identical rows share basket and product: compare whole rows only within those pairs.
  const cols = COLUMNS.map((col) => identifier(col.name)).join(', ');
  const candidates = `select * from rows where (BASKET_ID, PROD_CODE) in (select (BASKET_ID, PROD_CODE) from rows group by BASKET_ID, PROD_CODE having count(*) > 1)`;
  const groups = `select ${cols}, count(*) as copies, string_agg(distinct SOURCE_FILE, ', ') as files from (${candidates}) group by ${cols} having count(*) > 1`;
  const { n } = await one<{ n: number }>(c, `select coalesce(sum(copies - 1), 0)::BIGINT as n from (${groups})`);
  const examples = n ? await all(c, `select BASKET_ID::VARCHAR as BASKET_ID, PROD_CODE, SHOP_WEEK, QUANTITY, SPEND, copies, files from (${groups}) limit ${EXAMPLES}`) : [];
  return check({
    id: 'duplicates', title: 'No duplicate rows', severity: 'warning', count: n, unit: 'rows',
    message: n ? `${n} row(s) repeat another row exactly (same basket, product, values).` : 'No row appears twice.',
    examples,
  });
}

async function weekdayMatchesDate(c: DuckDBConnection): Promise<Check> {
  const rule = `dayofweek(SHOP_DATE) + 1 <> SHOP_WEEKDAY`;
  const { n } = await one<{ n: number }>(c, `select count(*) as n from rows where ${rule}`);
  const examples = n ? await all(c, `select ${EXAMPLE_COLUMNS}, SHOP_DATE, SHOP_WEEKDAY, dayofweek(SHOP_DATE) + 1 as expected from rows qualify ${rule} limit ${EXAMPLES}`) : [];
  return check({
    id: 'weekday', title: 'SHOP_WEEKDAY matches SHOP_DATE', severity: 'warning', count: n, unit: 'rows',
    message: n ? `${n} row(s) have a weekday that is not the weekday of their date (1 = Sunday).` : 'Every weekday matches its date (1 = Sunday … 7 = Saturday).',
    examples,
  });
}

async function weekMatchesFileName(c: DuckDBConnection, fileNames: string[]): Promise<Check> {
  const named = fileNames.map((f) => [f, weekFromFileName(f)] as const).filter(([, w]) => w !== null);
  if (!named.length) return check({ id: 'file_week', title: 'Weeks match the file names', severity: 'info', count: 0, unit: 'rows', message: 'No file is named transactions_YYYYWW; nothing to compare.' });
  const values = named.map(([f, w]) => `(${literal(f)}, ${w})`).join(', ');
  const bad = await all<{ file: string; expected: number; found: string; n: number }>(c,
    `select r.SOURCE_FILE as file, f.week as expected, string_agg(distinct r.SHOP_WEEK::VARCHAR, ', ') as found, count(*) as n
     from rows r join (values ${values}) f(name, week) on r.SOURCE_FILE = f.name where r.SHOP_WEEK <> f.week group by all order by n desc`);
  const n = bad.reduce((sum, b) => sum + b.n, 0);
  return check({
    id: 'file_week', title: 'Weeks match the file names', severity: 'warning', count: n, unit: 'rows',
    message: n ? `${n} row(s) carry a SHOP_WEEK other than their file's name says.` : 'Every transactions_YYYYWW file holds only week YYYYWW.',
    examples: bad.slice(0, EXAMPLES),
  });
}

async function labels(c: DuckDBConnection): Promise<Check[]> {
  const { baskets, unknown, labelled } = await one<{ baskets: number; unknown: number; labelled: number }>(c,
    `select count(*) as baskets, count(*) filter (where label = 'XX') as unknown, count(*) filter (where label in ('LA', 'MM', 'UM')) as labelled
     from (select BASKET_ID, any_value(BASKET_PRICE_SENSITIVITY) as label from rows group by BASKET_ID)`);
  return [
    check({
      id: 'labelled_baskets', title: 'There are labelled baskets to learn from', severity: 'error', count: labelled > 0 ? 0 : 1, unit: 'baskets',
      message: labelled > 0 ? `${labelled} of ${baskets} baskets have a known label (LA, MM or UM).` : 'No basket has a known label (LA, MM or UM): there is nothing to train or evaluate on.',
    }),
    { ...check({ id: 'unknown_label', title: 'Baskets with unknown label (XX)', severity: 'info', count: unknown, unit: 'baskets',
      message: `${unknown} basket(s) are labelled XX (${baskets ? ((100 * unknown) / baskets).toFixed(1) : 0}%); they are kept in the data but excluded from training and scoring.` }), passed: true },
  ];
}

export async function rowChecks(c: DuckDBConnection, fileNames: string[]): Promise<Check[]> {
  const checks: Check[] = [];
  for (const run of [requiredValues, codeSets, ranges, basketConsistency, nonPositive, duplicates, weekdayMatchesDate]) {
    const t = performance.now();
    checks.push(await run(c));
    if (process.env.MLOPS_TIMINGS) console.error(`check ${run.name}: ${Math.round(performance.now() - t)} ms`);
  }
  checks.push(await weekMatchesFileName(c, fileNames));
  checks.push(...(await labels(c)));
  return checks;
}
