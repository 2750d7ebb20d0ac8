import 'server-only';
import type { Command } from 'commander';
import { AppError } from '@/server/errors';
import { DEFAULT_START_WEEK, GenerateOptionError } from '@/server/datasets/synthetic/generate';
import { outputFormat, writeSyntheticFile, type SyntheticFileSummary } from '@/server/datasets/synthetic/write-file';
import { printJson, reportError } from '../output';

interface GenerateFlags {
  rows: string;
  seed: string;
  out: string;
  weeks?: string;
  startWeek?: string;
  json?: boolean;
}

/** Progress lines only where a run takes long enough to want them. */
const PROGRESS_FROM_ROWS = 100_000;
/** Errors opening, writing or renaming the output that mean "this path is not writable". */
const PATH_ERRORS = new Set(['EACCES', 'EPERM', 'ENOENT', 'ENOTDIR', 'EROFS', 'EISDIR']);

const invalid = (option: string, message: string) => new AppError('VALIDATION', `${option}: ${message}`);

function parseInteger(option: string, raw: string, { min }: { min?: number } = {}): number {
  const value = /^[+-]?\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value)) throw invalid(option, `must be an integer, got "${raw}"`);
  if (min !== undefined && value < min) throw invalid(option, `must be at least ${min}, got ${value}`);
  return value;
}

function parseFlags(o: GenerateFlags) {
  if (!outputFormat(o.out)) throw invalid('--out', `must end in .csv or .csv.gz, got "${o.out}"`);
  const startWeek = o.startWeek ?? String(DEFAULT_START_WEEK);
  if (!/^\d{6}$/.test(startWeek.trim())) throw invalid('--start-week', `must be a shop week YYYYWW, got "${startWeek}"`);
  return {
    rows: parseInteger('--rows', o.rows, { min: 1 }),
    seed: parseInteger('--seed', o.seed),
    out: o.out,
    startWeek: Number(startWeek),
    ...(o.weeks !== undefined ? { weeks: parseInteger('--weeks', o.weeks, { min: 1 }) } : {}),
  };
}

function describe(summary: SyntheticFileSummary): string {
  const n = (v: number) => v.toLocaleString('en-GB');
  const shares = Object.entries(summary.labelShares).map(([label, share]) => `${label} ${(share * 100).toFixed(1)}%`).join(', ');
  return [
    `Wrote ${n(summary.rows)} rows (${n(summary.baskets)} baskets, weeks ${summary.firstWeek}–${summary.lastWeek}) to ${summary.file}`,
    `  ${(summary.bytes / 1e6).toFixed(1)} MB in ${summary.seconds.toFixed(1)} s; basket labels: ${shares}`,
  ].join('\n');
}

export function registerDataGenerate(data: Command) {
  data
    .command('generate')
    .description('write a deterministic synthetic transaction file calibrated to the real dunnhumby data')
    .requiredOption('--rows <n>', 'number of data rows')
    .requiredOption('--out <file>', 'output file: .csv, or .csv.gz for gzip')
    .option('--seed <s>', 'random seed (integer); same rows, seed and options ⇒ byte-identical file', '1')
    .option('--weeks <w>', 'number of shop weeks (default: rows / 27000, clamped to 4…113)')
    .option('--start-week <yyyyww>', 'first shop week', String(DEFAULT_START_WEEK))
    .option('--json', 'print a JSON summary: { rows, baskets, weeks, firstWeek, lastWeek, file, bytes, seconds, labelShares }')
    .addHelpText('after', '\nExample:\n  npm run -s mlops -- data generate --rows 3000000 --seed 7 --out data/synthetic.csv.gz --json')
    .action(async (o: GenerateFlags) => {
      const json = Boolean(o.json);
      const interrupt = new AbortController();
      const onSignal = () => interrupt.abort();
      process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
      let exitCode = 0;
      try {
        const flags = parseFlags(o);
        const summary = await writeSyntheticFile({
          ...flags,
          signal: interrupt.signal,
          ...(flags.rows >= PROGRESS_FROM_ROWS
            ? { onProgress: (p) => process.stderr.write(`generate: ${Math.round((100 * p.rows) / p.totalRows)}% (${p.rows.toLocaleString('en-GB')} rows, ${p.seconds.toFixed(1)} s)\n`) }
            : {}),
        }).catch((error: unknown) => {
          if (error instanceof GenerateOptionError) throw new AppError('VALIDATION', error.message);
          const code = (error as NodeJS.ErrnoException | null)?.code;
          if (code && PATH_ERRORS.has(code)) throw invalid('--out', `cannot write ${o.out} (${code})`);
          if (interrupt.signal.aborted) throw new Error('interrupted; no file was written');
          throw error;
        });
        if (json) printJson(summary);
        else console.log(describe(summary));
      } catch (error) {
        exitCode = reportError(error, json);
      }
      process.exit(exitCode);
    });
}
