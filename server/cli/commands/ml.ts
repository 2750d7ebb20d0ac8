import 'server-only';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';
import type { Command } from 'commander';
import { basketSchema, toBasketInput } from '@/ml/data/basket-schema';
import { MlError } from '@/ml/core/errors';
import { ALGORITHMS, DEFAULT_ALGORITHM, estimatorSpec } from '@/ml/estimators';
import { createThreadPool } from '@/server/ml/thread-pool';
import { Model } from '@/ml/model';
import { AppError, fieldIssues } from '@/server/errors';
import { loadBaskets } from '@/server/ml/load-baskets';
import { codeVersion } from '@/server/ml/code-version';
import { exportFeatures } from '@/server/ml/export-features';
import { resolveInputFiles } from '@/server/services/datasets/import-local-files';
import { parseParams } from '../command';
import { printJson, reportError } from '../output';
import { note } from '../runtime';

/**
 * The ML commands work on files, with no database or server: train on
 * transaction files, evaluate, export the exact features a model sees, predict.
 * Exit codes: 0 ok, 1 failed, 2 bad input.
 */
async function run(json: boolean, fn: () => Promise<void>): Promise<never> {
  let code = 0;
  try {
    await fn();
  } catch (error) {
    const mapped = error instanceof MlError ? new AppError(error.code === 'CANCELLED' ? 'CONFLICT' : 'VALIDATION', error.message) : error;
    code = reportError(mapped, json);
  }
  process.exit(code || Number(process.exitCode ?? 0));
}

async function loadData(paths: string[]) {
  const files = await resolveInputFiles(paths);
  note(`loading ${files.length} file(s)…`);
  const started = Date.now();
  const table = await loadBaskets({ kind: 'csv', files: files.map((f) => f.path) });
  note(`loaded ${table.size.toLocaleString('en-US')} baskets (${table.lineOffsets[table.size]!.toLocaleString('en-US')} rows) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return table;
}

async function writeAtomically(file: string, text: string) {
  const dir = path.dirname(path.resolve(file));
  await fs.access(dir).catch(() => {
    throw new AppError('VALIDATION', `--out: folder ${dir} does not exist`);
  });
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  await fs.writeFile(temp, text);
  await fs.rename(temp, file);
}

export async function readModel(file: string): Promise<Model> {
  const text = await fs.readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new AppError('VALIDATION', `--model: cannot read ${file} (${error.code === 'ENOENT' ? 'no such file' : error.message})`);
  });
  return Model.load(text);
}

function progressLine() {
  let last = 0;
  return (p: { stage: string; iteration: number; totalIterations: number; trainLoss?: number; validationLoss?: number; elapsedMs: number }) => {
    if (Date.now() - last < 1000 && p.iteration !== p.totalIterations) return;
    last = Date.now();
    const loss = [p.trainLoss !== undefined ? `train loss ${p.trainLoss.toFixed(4)}` : '', p.validationLoss !== undefined ? `validation ${p.validationLoss.toFixed(4)}` : ''].filter(Boolean).join(', ');
    process.stderr.write(`${process.stderr.isTTY ? '\r\x1b[2K' : ''}${p.stage === 'features' ? 'building features' : `${p.iteration}/${p.totalIterations}`} ${loss} (${(p.elapsedMs / 1000).toFixed(1)} s)${process.stderr.isTTY ? '' : '\n'}`);
  };
}

export function registerMl(program: Command) {
  program
    .command('train')
    .description('train a model on transaction files and write its artifact')
    .requiredOption('--data <paths...>', 'transactions_*.csv[.gz] files or folders')
    .option('--algorithm <name>', `${ALGORITHMS.join(' | ')} (default ${DEFAULT_ALGORITHM})`)
    .option('--param <key=value...>', 'a parameter, repeatable (listed below per algorithm)')
    .option('--seed <n>', 'random seed', '42')
    .requiredOption('--out <model.json>', 'where to write the artifact')
    .addHelpText('after', () => `\nParameters (default, range):\n${ALGORITHMS.map((a) => `  ${a}:\n${estimatorSpec(a).params.map((p) => `    ${p.name}=${p.default}  ${p.type === 'enum' ? (p.options ?? []).join('|') : p.type === 'boolean' ? 'true|false' : `${p.min ?? ''}…${p.max ?? ''}`}  ${p.help}`).join('\n')}`).join('\n')}`)
    .option('--json', 'print a JSON summary on stdout')
    .action((o: { data: string[]; algorithm?: string; param?: string[]; seed: string; out: string; json?: boolean }) =>
      run(Boolean(o.json), async () => {
        const seed = Number(o.seed);
        if (!Number.isInteger(seed) || seed < 0) throw new AppError('VALIDATION', `--seed must be a non-negative integer (got "${o.seed}")`);
        const params = parseParams(o.param);
        const table = await loadData(o.data);
        const parallel = await createThreadPool();
        const model = await Model.train(table, { algorithm: o.algorithm, params, seed, parallel, training: { codeVersion: codeVersion() }, onProgress: progressLine() }).finally(() => parallel.close());
        if (process.stderr.isTTY) process.stderr.write('\n');
        const artifact = model.toArtifact();
        await writeAtomically(o.out, artifact.text);
        const summary = { out: path.resolve(o.out), sha256: artifact.sha256, bytes: Buffer.byteLength(artifact.text), algorithm: model.body.algorithm, params: model.body.params, seed, training: model.body.training };
        if (o.json) printJson(summary);
        else note(`wrote ${summary.out} (${model.body.algorithm}, ${(summary.bytes / 1e6).toFixed(2)} MB, sha256 ${artifact.sha256.slice(0, 12)}…) — trained on ${model.body.training.baskets.toLocaleString('en-US')} baskets in ${model.body.training.seconds?.toFixed(1)} s`);
      }),
    );

  program
    .command('evaluate')
    .description('score a model on labelled transaction files (basket level; XX baskets skipped)')
    .requiredOption('--model <model.json>', 'model artifact')
    .requiredOption('--data <paths...>', 'transactions_*.csv[.gz] files or folders')
    .option('--json', 'print JSON (n_baskets, accuracy, macro_f1, row_accuracy, per_class, confusion_matrix, …)')
    .action((o: { model: string; data: string[]; json?: boolean }) =>
      run(Boolean(o.json), async () => {
        const model = await readModel(o.model);
        const e = model.evaluate(await loadData(o.data));
        const result = {
          n_baskets: e.n_baskets, accuracy: e.accuracy, macro_f1: e.macro_f1, weighted_f1: e.weighted_f1, row_accuracy: e.row_accuracy, log_loss: e.log_loss,
          per_class: e.per_class, confusion_matrix: e.confusion_matrix, unknown_product_lines: e.unknown_product_lines,
        };
        if (o.json) return printJson(result);
        console.log(`baskets ${e.n_baskets.toLocaleString('en-US')}  accuracy ${e.accuracy.toFixed(4)}  macro F1 ${e.macro_f1.toFixed(4)}  row accuracy ${e.row_accuracy.toFixed(4)}  log loss ${e.log_loss.toFixed(4)}`);
        for (const [label, m] of Object.entries(e.per_class)) console.log(`  ${label}  precision ${m.precision.toFixed(4)}  recall ${m.recall.toFixed(4)}  f1 ${m.f1.toFixed(4)}  support ${m.support}`);
      }),
    );

  program
    .command('features')
    .description('feature matrices')
    .command('export')
    .description('write the feature matrix a model sees: one row per labelled basket, with its label (0 LA, 1 MM, 2 UM)')
    .requiredOption('--model <model.json>', 'model artifact (its fitted feature pipeline is used)')
    .requiredOption('--data <paths...>', 'transactions_*.csv[.gz] files or folders')
    .requiredOption('--out <file>', 'output file')
    .option('--format <format>', 'libsvm (sparse, 0-based feature indices) or csv (with a header of feature names)', 'libsvm')
    .action((o: { model: string; data: string[]; out: string; format: string }) =>
      run(false, async () => {
        if (o.format !== 'libsvm' && o.format !== 'csv') throw new AppError('VALIDATION', `--format must be libsvm or csv (got "${o.format}")`);
        const model = await readModel(o.model);
        const stats = await exportFeatures(model, await loadData(o.data), o.out, o.format);
        note(`wrote ${stats.rows.toLocaleString('en-US')} rows × ${stats.features} features (${stats.nonZeros.toLocaleString('en-US')} non-zeros) to ${o.out}`);
      }),
    );

  program
    .command('predict')
    .description('predict baskets from a JSON-lines file (one basket per line); prints one JSON prediction per line')
    .requiredOption('--model <model.json>', 'model artifact')
    .requiredOption('--input <baskets.jsonl>', 'one basket per line: {"lines":[{"prod":"PRD0900033","quantity":1,"spend":0.93}], "storeFormat":"LS", …}')
    .action((o: { model: string; input: string }) =>
      run(false, async () => {
        const model = await readModel(o.model);
        await fs.access(o.input).catch(() => {
          throw new AppError('VALIDATION', `--input: cannot read ${o.input}`);
        });
        const stream = createReadStream(o.input);
        let lineNo = 0;
        let failed = 0;
        // Output keeps input order: errors wait in the queue with the baskets before them.
        const queue: ({ line: number; basket: ReturnType<typeof toBasketInput> } | { line: number; error: string })[] = [];
        let pending = 0;
        const flush = () => {
          const baskets = queue.flatMap((q) => ('basket' in q ? [q.basket] : []));
          const predictions = baskets.length ? model.predictBaskets(baskets) : [];
          let at = 0;
          for (const q of queue) process.stdout.write(`${JSON.stringify('basket' in q ? { line: q.line, basketId: q.basket.basketId ?? null, ...predictions[at++] } : q)}\n`);
          queue.length = 0;
          pending = 0;
        };
        for await (const text of readline.createInterface({ input: stream, crlfDelay: Infinity })) {
          lineNo++;
          if (!text.trim()) continue;
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch (error) {
            failed++;
            queue.push({ line: lineNo, error: `not valid JSON: ${(error as Error).message}` });
            continue;
          }
          const result = basketSchema.safeParse(parsed);
          if (!result.success) {
            failed++;
            queue.push({ line: lineNo, error: fieldIssues(result.error).map((f) => `${f.field}: ${f.message}`).join('; ') });
            continue;
          }
          queue.push({ line: lineNo, basket: toBasketInput(result.data) });
          if (++pending >= 1000) flush();
        }
        flush();
        if (failed) {
          note(`${failed} of ${lineNo} line(s) could not be predicted (see their "error")`);
          process.exitCode = 1;
        }
      }),
    );
}

