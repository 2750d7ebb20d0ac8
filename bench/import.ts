/**
 * Import benchmark on the real data: validation + Parquet layers + profile of all
 * weekly files in ../shared/data/dunnhumby, then row-browser page queries.
 * Targets (issue #3): import ≤ 20 s wall and ≤ 2 GB peak RSS; page query ≤ 200 ms.
 *
 *   npx tsx --conditions=react-server bench/import.ts [folder]
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { all, literal, openDuckDb } from '../server/datasets/duckdb';
import { COLUMN_NAMES } from '../server/datasets/schema';
import { runPipeline } from '../server/datasets/pipeline/run-pipeline';

const folder = process.argv[2] ?? path.resolve(import.meta.dirname, '..', '..', 'shared', 'data', 'dunnhumby');
const files = (await fs.readdir(folder).catch(() => [])).filter((f) => /^transactions_.*\.csv(\.gz)?$/.test(f)).sort().map((name) => ({ name, path: path.join(folder, name) }));
if (!files.length) {
  console.error(`No transactions_*.csv[.gz] files in ${folder}; pass a folder as the first argument.`);
  process.exit(2);
}

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
const workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'pricesense-bench-'));
const stages: Record<string, number> = {};
let stage = '';
let stageStart = performance.now();
const started = performance.now();
const result = await runPipeline({
  files,
  workDir,
  onProgress: (s) => {
    if (s === stage) return;
    if (stage) stages[stage] = (stages[stage] ?? 0) + performance.now() - stageStart;
    stage = s;
    stageStart = performance.now();
  },
});
stages[stage] = (stages[stage] ?? 0) + performance.now() - stageStart;
const importSeconds = (performance.now() - started) / 1000;
clearInterval(sampler);

const db = await openDuckDb({ threads: 2, memoryLimit: '512MB' });
const source = `read_parquet(${literal(path.join(result.layers!.rowsDir, '**', '*.parquet'))}, hive_partitioning = true, hive_types = {'STORE_REGION': VARCHAR, 'BASKET_TYPE': VARCHAR})`;
const cases: [string, string][] = [
  ['first page, no filter', ''],
  ['deep page (cursor at row 2,000,000)', 'ROW_ID > 2000000'],
  ['weeks 200720–200725', 'SHOP_WEEK between 200720 and 200725'],
  ['region E02 + Full Shop', "STORE_REGION = 'E02' and BASKET_TYPE = 'Full Shop'"],
  ['label UM, cursor at 1,500,000', "BASKET_PRICE_SENSITIVITY = 'UM' and ROW_ID > 1500000"],
  ['all filters', "STORE_REGION = 'E02' and BASKET_TYPE = 'Top Up' and SHOP_WEEK >= 200740 and BASKET_PRICE_SENSITIVITY = 'LA'"],
];
const pageRows: { query: string; p50: number; p95: number }[] = [];
for (const [name, filter] of cases) {
  const where = filter ? `where ${filter}` : '';
  const times: number[] = [];
  for (let i = 0; i < 12; i++) {
    const t = performance.now();
    await all(db.connection, `select count(*) from ${source} ${where}`);
    await all(db.connection, `select ROW_ID, ${COLUMN_NAMES.join(', ')} from ${source} ${where} order by ROW_ID limit 50`);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  pageRows.push({ query: name, p50: times[Math.floor(times.length * 0.5)]!, p95: times[Math.floor(times.length * 0.95)]! });
}
db.close();
await fs.rm(workDir, { recursive: true, force: true });

const rows = result.profile?.counts.rows ?? 0;
console.log(`\nImport of ${files.length} files (${rows.toLocaleString('en-US')} rows, status ${result.report.status}) on ${os.cpus().length} cores`);
console.table({
  'import wall time (s)': { value: importSeconds.toFixed(1), target: '≤ 20' },
  'peak RSS (MB)': { value: (peakRss / 1e6).toFixed(0), target: '≤ 2000' },
  'rows per second': { value: Math.round(rows / importSeconds).toLocaleString('en-US'), target: '' },
  ...Object.fromEntries(Object.entries(stages).map(([s, ms]) => [`  stage ${s} (s)`, { value: (ms / 1000).toFixed(1), target: '' }])),
});
console.log('Row browser page query (count + 50 rows), 12 runs each:');
console.table(Object.fromEntries(pageRows.map((r) => [r.query, { 'p50 ms': r.p50.toFixed(0), 'p95 ms': r.p95.toFixed(0), target: '≤ 200' }])));
