import fs from 'node:fs/promises';
import path from 'node:path';
import { openDuckDb } from '../duckdb';
import { parseCheck, rowChecks, summarise, type Check, type QualityReport } from './checks';
import { contentHashOf, FileProblem, inspectFile, type InspectedFile } from './inspect-file';
import { loadRows } from './load';
import { profileRows, type DatasetProfile } from './profile';
import { writeBasketLayer, writeRowLayer } from './write-layers';

/**
 * Validate, curate and profile one set of transaction files, all on local disk:
 * inspect → parse → checks → (if no error) write Parquet layers → profile.
 * Storage and database bookkeeping are the caller's job.
 */
export type PipelineStage = 'inspecting' | 'parsing' | 'checking' | 'writing' | 'profiling';
export type PipelineProgress = (stage: PipelineStage, fraction: number, detail?: string) => void | Promise<void>;

export type PipelineResult = {
  files: InspectedFile[];
  contentHash: string | null;
  report: QualityReport;
  profile: DatasetProfile | null;
  layers: { rowsDir: string; basketsFile: string } | null;
};

const STAGE_SPAN: Record<PipelineStage, [number, number]> = {
  inspecting: [0, 0.15],
  parsing: [0.15, 0.45],
  checking: [0.45, 0.6],
  writing: [0.6, 0.85],
  profiling: [0.85, 1],
};

export class PipelineCancelled extends Error {
  constructor() {
    super('The import was cancelled');
    this.name = 'PipelineCancelled';
  }
}

function fileCheck(problems: { file: string; problem: string }[], files: number): Check {
  return {
    id: 'files', title: 'Files are complete CSV with the transaction header', severity: 'error',
    passed: problems.length === 0, count: problems.length, unit: 'files',
    message: problems.length ? problems.map((p) => `${p.file} ${p.problem}`).join(' ') : `All ${files} file(s) are readable, complete and have the 22-column header.`,
    examples: problems.map((p) => ({ file: p.file, problem: p.problem })),
  };
}

async function inspectAll(files: { name: string; path: string }[], report: (done: number) => Promise<void>) {
  const inspected: InspectedFile[] = [];
  const problems: { file: string; problem: string }[] = [];
  let next = 0;
  let done = 0;
  // Two at a time: gunzip runs on libuv's thread pool, so both cores work.
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++]!;
      try {
        inspected.push(await inspectFile(file.path, file.name));
      } catch (error) {
        if (!(error instanceof FileProblem)) throw error;
        problems.push({ file: error.file, problem: error.problem });
      }
      await report(++done);
    }
  };
  await Promise.all([worker(), worker()]);
  inspected.sort((a, b) => a.name.localeCompare(b.name));
  const seen = new Map<string, string>();
  for (const f of inspected) {
    const twin = seen.get(f.sha256);
    if (twin) problems.push({ file: f.name, problem: `has exactly the same content as ${twin}; import it once` });
    else seen.set(f.sha256, f.name);
  }
  return { inspected, problems };
}

export async function runPipeline(opts: {
  files: { name: string; path: string }[];
  workDir: string;
  onProgress?: PipelineProgress;
  signal?: AbortSignal;
}): Promise<PipelineResult> {
  const progress = async (stage: PipelineStage, within: number, detail?: string) => {
    if (opts.signal?.aborted) throw new PipelineCancelled();
    const [from, to] = STAGE_SPAN[stage];
    await opts.onProgress?.(stage, from + (to - from) * within, detail);
  };
  const names = new Set<string>();
  const nameProblems = opts.files.filter((f) => (names.has(f.name) ? true : (names.add(f.name), false))).map((f) => ({ file: f.name, problem: 'is given twice (two files with the same name)' }));

  await progress('inspecting', 0, `${opts.files.length} file(s)`);
  const { inspected, problems } = await inspectAll(opts.files, (done) => progress('inspecting', done / opts.files.length, `${done}/${opts.files.length} files`));
  const allProblems = [...nameProblems, ...problems];
  const contentHash = inspected.length ? contentHashOf(inspected.map((f) => f.sha256)) : null;
  if (allProblems.length || inspected.length === 0) {
    const check = fileCheck(allProblems.length ? allProblems : [{ file: '(import)', problem: 'contains no files' }], opts.files.length);
    return { files: inspected, contentHash, report: summarise([check], 0, opts.files.length), profile: null, layers: null };
  }

  await fs.mkdir(opts.workDir, { recursive: true });
  const db = await openDuckDb({ tempDirectory: path.join(opts.workDir, 'duckdb-tmp') });
  try {
    const totalRows = inspected.reduce((sum, f) => sum + f.rows, 0);
    await progress('parsing', 0, `${totalRows.toLocaleString('en-US')} rows`);
    const loaded = await loadRows(db.connection, inspected);
    const checks: Check[] = [fileCheck([], inspected.length), parseCheck(loaded.rejected)];
    if (loaded.rows === 0) {
      checks.push({ id: 'rows', title: 'The files contain data', severity: 'error', passed: false, count: 0, unit: 'rows', message: 'The files hold a header but no data rows.', examples: [] });
      return { files: inspected, contentHash, report: summarise(checks, 0, inspected.length), profile: null, layers: null };
    }
    await progress('checking', 0);
    checks.push(...(await rowChecks(db.connection, inspected.map((f) => f.name))));
    const report = summarise(checks, loaded.rows, inspected.length);
    if (report.status === 'failed') return { files: inspected, contentHash, report, profile: null, layers: null };
    const curated = path.join(opts.workDir, 'curated');
    await progress('writing', 0, 'basket table');
    const basketsFile = await writeBasketLayer(db.connection, curated);
    // The row layer is written on one thread (to keep partitions in ROW_ID order);
    // the profile runs beside it on a second connection, so both cores stay busy.
    await progress('writing', 0.3, 'typed rows (Parquet) and profile');
    const second = await db.instance.connect();
    const [rowsDir, profile] = await Promise.all([writeRowLayer(db.connection, curated), profileRows(second)]).finally(() => second.closeSync());
    await progress('profiling', 1);
    return { files: inspected, contentHash, report, profile, layers: { rowsDir, basketsFile } };
  } finally {
    db.close();
  }
}
