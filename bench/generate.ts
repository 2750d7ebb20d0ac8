/**
 * Synthetic data generator throughput: 3,000,000 rows to a temporary .csv.gz.
 * Run: npx tsx --conditions=react-server bench/generate.ts [rows]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeSyntheticFile } from '../server/datasets/synthetic/write-file';

const TARGET_SECONDS = 60;
const rows = Number(process.argv[2] ?? 3_000_000);
const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-generate-'));

try {
  const summary = await writeSyntheticFile({
    rows,
    seed: 1,
    out: path.join(dir, 'synthetic.csv.gz'),
    onProgress: (p) => process.stderr.write(`  ${Math.round((100 * p.rows) / p.totalRows)}% ${p.seconds.toFixed(1)} s\n`),
  });
  const peakRssMb = process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB
  const table: [string, string][] = [
    ['rows', summary.rows.toLocaleString('en-GB')],
    ['baskets', summary.baskets.toLocaleString('en-GB')],
    ['weeks', `${summary.weeks} (${summary.firstWeek}–${summary.lastWeek})`],
    ['seconds', summary.seconds.toFixed(2)],
    ['rows/s', Math.round(summary.rows / summary.seconds).toLocaleString('en-GB')],
    ['MB written', (summary.bytes / 1e6).toFixed(1)],
    ['peak RSS MB', peakRssMb.toFixed(0)],
  ];
  const width = Math.max(...table.map(([k]) => k.length));
  for (const [key, value] of table) console.log(`${key.padEnd(width)}  ${value}`);
  console.log(`target: < ${TARGET_SECONDS} s — ${summary.seconds < TARGET_SECONDS ? 'met' : 'MISSED'}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
