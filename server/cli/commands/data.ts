import 'server-only';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { runPipeline } from '@/server/datasets/pipeline/run-pipeline';
import { AppError } from '@/server/errors';
import { importLocalFiles, resolveInputFiles } from '@/server/services/datasets/import-local-files';
import { getDataset, listDatasets, resolveDatasetVersion } from '@/server/services/datasets/read-datasets';
import { withRuntime } from '../command';
import { printJson, reportError, table } from '../output';
import { note } from '../runtime';
import { registerDataGenerate } from './data-generate';
import { registerDataRetrain } from './data-retrain';

/** One progress line on stderr: rewritten in place on a terminal, a line per stage otherwise. */
function progressPrinter() {
  let lastStage = '';
  let lastPrinted = 0;
  return (stage: string, fraction: number, detail?: string) => {
    const pct = `${Math.round(fraction * 100)}%`.padStart(4);
    const line = `${pct} ${stage}${detail ? ` — ${detail}` : ''}`;
    if (process.stderr.isTTY) {
      process.stderr.write(`\r\x1b[2K${line}`);
    } else if (stage !== lastStage || Date.now() - lastPrinted > 5000) {
      process.stderr.write(`${line}\n`);
      lastPrinted = Date.now();
    }
    lastStage = stage;
  };
}

function summarise(version: Awaited<ReturnType<typeof resolveDatasetVersion>>) {
  const report = version.qualityReport;
  return {
    id: version.id,
    dataset: version.dataset.name,
    version: version.version,
    status: version.status,
    contentHash: version.contentHash,
    rows: version.rowCount,
    baskets: version.basketCount,
    customers: version.customerCount,
    products: version.productCount,
    weeks: version.minWeek ? `${version.minWeek}–${version.maxWeek}` : null,
    files: version.sourceFiles.map((f) => ({ name: f.name, bytes: f.bytes, sha256: f.sha256, rows: f.rows ?? null })),
    quality: report ? { status: report.status, failed: report.checks.filter((c) => !c.passed).map((c) => ({ id: c.id, severity: c.severity, count: c.count, message: c.message })) } : null,
    error: version.errorMessage,
  };
}

export function registerData(program: Command) {
  const data = program.command('data').description('datasets: import, inspect, profile and generate transaction data');

  data
    .command('import')
    .description('import transactions_*.csv[.gz] files (or folders of them) as a new dataset version')
    .argument('<paths...>', 'files or folders')
    .requiredOption('--name <name>', 'dataset name (created if new), e.g. dunnhumby')
    .option('--description <text>', 'description for a new dataset')
    .option('--json', 'print the resulting version as JSON')
    .action((paths: string[], o: { name: string; description?: string; json?: boolean }) =>
      withRuntime(Boolean(o.json), async (rt) => {
        const controller = new AbortController();
        const interrupt = () => {
          note('\ncancelling the import…');
          controller.abort();
        };
        process.once('SIGINT', interrupt);
        const started = Date.now();
        const result = await importLocalFiles(rt.ctx, { dataset: o.name, description: o.description, paths, onProgress: progressPrinter(), signal: controller.signal });
        process.removeListener('SIGINT', interrupt);
        if (process.stderr.isTTY) process.stderr.write('\n');
        const summary = { ...summarise(result.version), duplicate: result.duplicate, seconds: Math.round((Date.now() - started) / 100) / 10 };
        if (controller.signal.aborted) throw new AppError('CONFLICT', 'Import cancelled; nothing was kept.');
        if (o.json) printJson(summary);
        else if (result.duplicate) console.log(`Same content as ${summary.dataset} v${summary.version} (${summary.id}): nothing new was imported.`);
        else if (summary.status === 'ready') {
          console.log(`${summary.dataset} v${summary.version} is ready (${summary.id}): ${summary.rows?.toLocaleString('en-US')} rows, ${summary.baskets?.toLocaleString('en-US')} baskets, weeks ${summary.weeks}, in ${summary.seconds} s.`);
          for (const c of summary.quality?.failed ?? []) console.log(`  ${c.severity}: ${c.message}`);
        } else {
          console.log(`Import ${summary.status}: ${summary.error ?? ''}`);
          for (const c of summary.quality?.failed ?? []) console.log(`  ${c.severity}: ${c.message}`);
        }
        if (summary.status !== 'ready') process.exitCode = 1;
      }),
    );

  data
    .command('list')
    .description('list datasets and their latest version')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) =>
      withRuntime(Boolean(o.json), async (rt) => {
        const datasets = await listDatasets(rt.ctx);
        if (o.json) return printJson(datasets);
        console.log(table(datasets.map((d) => ({ name: d.name, versions: d.versionCount, latest: d.latest ? `v${d.latest.version}` : '—', rows: d.latest?.rowCount?.toLocaleString('en-US'), weeks: d.latest ? `${d.latest.minWeek}–${d.latest.maxWeek}` : '—', updated: d.updatedAt })), ['name', 'versions', 'latest', 'rows', 'weeks', 'updated']));
      }),
    );

  data
    .command('show')
    .description('show a dataset version: lineage and data quality (name = latest, name@3 = version 3, or an id)')
    .argument('<version>', 'dataset name, name@N or version id')
    .option('--json', 'print JSON')
    .action((ref: string, o: { json?: boolean }) =>
      withRuntime(Boolean(o.json), async (rt) => {
        const version = await resolveDatasetVersion(rt.ctx, ref);
        const summary = summarise(version);
        if (o.json) return printJson({ ...summary, qualityReport: version.qualityReport });
        console.log(`${summary.dataset} v${summary.version} (${summary.id}) — ${summary.status}`);
        console.log(`  ${summary.rows?.toLocaleString('en-US')} rows · ${summary.baskets?.toLocaleString('en-US')} baskets · ${summary.customers} customers · ${summary.products} products · weeks ${summary.weeks}`);
        console.log(`  content ${summary.contentHash}`);
        for (const c of version.qualityReport?.checks ?? []) console.log(`  ${c.passed ? 'ok  ' : c.severity === 'error' ? 'FAIL' : 'warn'} ${c.title}: ${c.message}`);
        const dataset = await getDataset(rt.ctx, version.dataset.id);
        console.log(`  ${dataset.versions.length} version(s) of ${dataset.name}`);
      }),
    );

  data
    .command('profile')
    .description('print the profile of a dataset version, or of a folder of files without importing them')
    .argument('<version-or-folder>', 'dataset name, name@N, version id, or a folder/file path')
    .option('--json', 'print JSON (the default output)')
    .action(async (ref: string, o: { json?: boolean }) => {
      const isPath = await fs.stat(ref).then(() => true).catch(() => false);
      if (!isPath) {
        return withRuntime(true, async (rt) => {
          const version = await resolveDatasetVersion(rt.ctx, ref);
          printJson(version.profile);
        });
      }
      const workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'pricesense-profile-'));
      let code = 0;
      try {
        const files = await resolveInputFiles([ref]);
        const result = await runPipeline({ files, workDir, onProgress: progressPrinter() });
        if (process.stderr.isTTY) process.stderr.write('\n');
        if (!result.profile) {
          const failed = result.report.checks.filter((c) => c.severity === 'error' && !c.passed).map((c) => c.message).join(' ');
          throw new AppError('VALIDATION', `The files fail validation, so there is no profile: ${failed}`);
        }
        printJson(result.profile);
      } catch (error) {
        code = reportError(error, Boolean(o.json));
      } finally {
        await fs.rm(workDir, { recursive: true, force: true });
      }
      process.exit(code);
    });

  registerDataGenerate(data);
  registerDataRetrain(data);
}
