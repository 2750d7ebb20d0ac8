import 'server-only';
import type { Command } from 'commander';
import { AppError } from '@/server/errors';
import { createJobQueue } from '@/server/jobs/queues';
import { cancelRun } from '@/server/services/runs/cancel-run';
import { launchRun } from '@/server/services/runs/launch-run';
import { getRun, getRunLogs, listRuns, type RunDetail } from '@/server/services/runs/read-runs';
import { WORKER_STALE_MS } from '@/server/services/runs/recover-runs';
import { retryRun } from '@/server/services/runs/retry-run';
import { launchSweep, getSweep } from '@/server/services/runs/sweeps';
import { parseList, parseParams, withRuntime } from '../command';
import { printJson, table } from '../output';
import { note, type CliRuntime } from '../runtime';

function intOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new AppError('VALIDATION', `${name} must be a whole number (got "${value}")`);
  return n;
}

/** What scripts get for a run: stable keys, metrics with accuracy and macro_f1 when it succeeded. */
export function runJson(run: RunDetail) {
  return {
    id: run.id, number: run.number, name: run.name, status: run.status, algorithm: run.algorithm, params: run.params, seed: run.seed, tags: run.tags,
    dataset: run.dataset, backend: run.backend, progress: run.progress, stage: run.stage, attempts: run.attempts,
    metrics: run.metrics, error: run.error, createdAt: run.createdAt, startedAt: run.startedAt, finishedAt: run.finishedAt, durationMs: run.durationMs,
    costUsd: run.costUsd, instanceType: run.instanceType, artifactUri: run.artifactUri, artifactSha256: run.artifactSha256, codeVersion: run.codeVersion,
  };
}

async function workersAlive(rt: CliRuntime) {
  return rt.db.workerHeartbeat.count({ where: { kind: 'worker', lastSeenAt: { gte: new Date(Date.now() - WORKER_STALE_MS) } } });
}

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

/**
 * Poll until the run ends, printing progress to stderr. Gives up (exit 1) after
 * --timeout, or when no worker has been alive for a minute (the run stays queued).
 */
async function waitFor(rt: CliRuntime, id: string, timeoutSeconds: number | undefined): Promise<RunDetail> {
  const started = Date.now();
  let noWorkerSince: number | null = null;
  let last = '';
  for (;;) {
    const run = await getRun(rt.ctx, id);
    const line = `run #${run.number} ${run.status}${run.status === 'running' ? ` ${Math.round(run.progress * 100)}% ${run.stage ?? ''}${run.etaSeconds ? `, ~${run.etaSeconds} s left` : ''}` : ''}`;
    if (line !== last) note(line);
    last = line;
    if (TERMINAL.has(run.status)) return run;
    if ((await workersAlive(rt)) === 0) {
      noWorkerSince ??= Date.now();
      if (Date.now() - noWorkerSince > 60_000) throw new AppError('UNAVAILABLE', `No worker is running, so run #${run.number} (${run.id}) stays queued. Start the platform (npm start) or a worker, then: npm run mlops -- runs show ${run.id}`);
    } else noWorkerSince = null;
    if (timeoutSeconds && Date.now() - started > timeoutSeconds * 1000) throw new AppError('UNAVAILABLE', `Run #${run.number} (${run.id}) did not finish within ${timeoutSeconds} s; it is ${run.status}.`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

async function withQueue<T>(rt: CliRuntime, fn: () => Promise<T>): Promise<T> {
  const queue = await createJobQueue(rt.url, 'pricesense:cli-queue');
  rt.ctx.adapters.queue = queue;
  try {
    return await fn();
  } finally {
    rt.ctx.adapters.queue = undefined;
    await queue.stop().catch(() => undefined);
  }
}

export function registerRuns(program: Command) {
  const runs = program.command('runs').description('training runs: launch, watch, list, cancel, retry');

  runs
    .command('launch')
    .description('launch a training run on a dataset version (the worker of `npm start` executes it)')
    .requiredOption('--dataset <ref>', 'dataset version id, dataset name (its latest ready version), or name@<version>')
    .option('--algorithm <name>', 'logistic_regression | gbdt | random_forest | decision_tree (default gbdt); parameters: `npm run mlops -- train --help`')
    .option('--param <key=value...>', 'a hyperparameter, repeatable')
    .option('--seed <n>', 'random seed', '42')
    .option('--name <name>', 'run name')
    .option('--tag <tags>', 'comma-separated tags')
    .option('--max-attempts <n>', 'attempts if its worker dies (1–5)', '2')
    .option('--wait', 'wait until the run ends; exit 0 only if it succeeded')
    .option('--timeout <seconds>', 'with --wait: give up after this long (exit 1)')
    .option('--json', 'print the run as JSON (with --wait: the finished run, with metrics.accuracy and metrics.macro_f1)')
    .action((o: { dataset: string; algorithm?: string; param?: string[]; seed: string; name?: string; tag?: string; maxAttempts: string; wait?: boolean; timeout?: string; json?: boolean }) =>
      withRuntime(Boolean(o.json), async (rt) => {
        const input = {
          dataset: o.dataset, ...(o.algorithm ? { algorithm: o.algorithm } : {}), params: parseParams(o.param), seed: intOption('--seed', o.seed), ...(o.name ? { name: o.name } : {}),
          tags: o.tag ? parseList(o.tag) : [], maxAttempts: intOption('--max-attempts', o.maxAttempts),
        };
        const created = await withQueue(rt, () => launchRun(rt.ctx, input));
        note(`launched run #${created.number} (${created.id}): ${created.name}`);
        if (!(await workersAlive(rt))) note('note: no worker is running right now; the run starts when one does (npm start).');
        const run = o.wait ? await waitFor(rt, created.id, intOption('--timeout', o.timeout)) : await getRun(rt.ctx, created.id);
        if (o.json) printJson(runJson(run));
        else if (run.status === 'succeeded') console.log(`run #${run.number} succeeded: accuracy ${run.metrics?.accuracy.toFixed(4)}, macro F1 ${run.metrics?.macro_f1.toFixed(4)} (${((run.durationMs ?? 0) / 1000).toFixed(1)} s, ~$${(run.costUsd ?? 0).toFixed(4)})`);
        else console.log(`run #${run.number} ${run.status}${run.error ? `: ${run.error}` : ''}`);
        if (o.wait && run.status !== 'succeeded') process.exitCode = 1;
      }),
    );

  runs
    .command('list')
    .description('list runs, newest first')
    .option('--status <status>', 'queued | running | succeeded | failed | cancelled')
    .option('--algorithm <name>', 'filter by algorithm')
    .option('--dataset <name>', 'filter by dataset name')
    .option('--tag <tag>', 'filter by tag')
    .option('--sort <field>', 'createdAt | accuracy | macroF1 | durationMs | number', 'createdAt')
    .option('--limit <n>', 'how many', '20')
    .option('--json', 'print JSON')
    .action((o: { status?: string; algorithm?: string; dataset?: string; tag?: string; sort: string; limit: string; json?: boolean }) =>
      withRuntime(Boolean(o.json), async (rt) => {
        const result = await listRuns(rt.ctx, { status: o.status, algorithm: o.algorithm, dataset: o.dataset, tag: o.tag, sort: o.sort, pageSize: intOption('--limit', o.limit) });
        if (o.json) return printJson(result);
        console.log(table(result.runs.map((r) => ({ ...r, number: `#${r.number}`, dataset: r.dataset.label, accuracy: r.accuracy?.toFixed(4), macro_f1: r.macroF1?.toFixed(4), progress: `${Math.round(r.progress * 100)}%`, seconds: r.durationMs === null ? null : (r.durationMs / 1000).toFixed(1) })), ['number', 'id', 'status', 'algorithm', 'dataset', 'accuracy', 'macro_f1', 'progress', 'seconds', 'name']));
        if (result.total > result.runs.length) note(`${result.runs.length} of ${result.total} runs (--limit)`);
      }),
    );

  runs
    .command('show')
    .description('one run: status, metrics, parameters, lineage, and its last log lines')
    .argument('<id>', 'run id or number')
    .option('--json', 'print JSON')
    .action((id: string, o: { json?: boolean }) =>
      withRuntime(Boolean(o.json), async (rt) => {
        const run = await getRun(rt.ctx, id.replace(/^#/, ''));
        if (o.json) return printJson(runJson(run));
        console.log(`run #${run.number} ${run.name}\n  status     ${run.status}${run.status === 'running' ? ` (${Math.round(run.progress * 100)}%, ${run.stage})` : ''}\n  algorithm  ${run.algorithm} ${JSON.stringify(run.params)}\n  dataset    ${run.dataset.label} (${run.dataset.versionId})\n  seed       ${run.seed}`);
        if (run.metrics) console.log(`  accuracy   ${run.metrics.accuracy.toFixed(4)}  macro F1 ${run.metrics.macro_f1.toFixed(4)}  log loss ${run.metrics.log_loss.toFixed(4)}`);
        if (run.error) console.log(`  error      ${run.error}`);
        if (run.artifactUri) console.log(`  artifact   ${run.artifactUri} (sha256 ${run.artifactSha256})`);
        if (run.costUsd !== null) console.log(`  cost       ~$${run.costUsd.toFixed(4)} (${run.instanceType})`);
        const logs = await getRunLogs(rt.ctx, run.id, { limit: 2000 });
        console.log('  log (last lines):');
        for (const l of logs.logs.slice(-10)) console.log(`    ${l.at.toISOString().slice(11, 19)} ${l.level.padEnd(5)} ${l.message.split('\n')[0]}`);
      }),
    );

  runs
    .command('cancel')
    .description('cancel a queued or running run')
    .argument('<id>', 'run id or number')
    .option('--json', 'print JSON')
    .action((id: string, o: { json?: boolean }) =>
      withRuntime(Boolean(o.json), async (rt) => {
        const run = await getRun(rt.ctx, id.replace(/^#/, ''));
        const result = await cancelRun(rt.ctx, run.id);
        if (o.json) return printJson(result);
        console.log(result.status === 'cancelled' ? `run #${result.number} cancelled` : `run #${result.number} is stopping (its worker acts within seconds)`);
      }),
    );

  runs
    .command('retry')
    .description('retry a failed or cancelled run (same id and configuration)')
    .argument('<id>', 'run id or number')
    .option('--json', 'print JSON')
    .action((id: string, o: { json?: boolean }) =>
      withRuntime(Boolean(o.json), async (rt) => {
        const run = await getRun(rt.ctx, id.replace(/^#/, ''));
        const result = await withQueue(rt, () => retryRun(rt.ctx, run.id));
        if (o.json) return printJson(result);
        console.log(`run #${result.number} queued again`);
      }),
    );

  runs
    .command('sweep')
    .description('launch a hyperparameter sweep: grid (lists) or random (lists or min:max[:log] ranges)')
    .requiredOption('--dataset <ref>', 'dataset version id, name, or name@<version>')
    .option('--algorithm <name>', 'algorithm (default gbdt)')
    .requiredOption('--strategy <grid|random>', 'grid or random')
    .requiredOption('--space <param=values...>', 'grid: learningRate=0.1,0.3; random: learningRate=0.01:0.5:log or maxDepth=3,6,9')
    .requiredOption('--budget <n>', 'number of runs')
    .option('--concurrency <n>', 'runs at a time', '2')
    .option('--metric <name>', 'macro_f1 | accuracy', 'macro_f1')
    .option('--param <key=value...>', 'fixed parameters for every run')
    .option('--json', 'print JSON')
    .action((o: { dataset: string; algorithm?: string; strategy: string; space: string[]; budget: string; concurrency: string; metric: string; param?: string[]; json?: boolean }) =>
      withRuntime(Boolean(o.json), async (rt) => {
        const space: Record<string, unknown> = {};
        for (const [name, spec] of Object.entries(parseParams(o.space, '--space'))) {
          const range = /^(-?[\d.e+-]+):(-?[\d.e+-]+)(:log)?$/.exec(spec);
          space[name] = range ? { min: Number(range[1]), max: Number(range[2]), ...(range[3] ? { log: true } : {}) } : parseList(spec).map((v) => (v === 'true' ? true : v === 'false' ? false : Number.isFinite(Number(v)) ? Number(v) : v));
        }
        const sweep = await withQueue(rt, () => launchSweep(rt.ctx, {
          dataset: o.dataset, ...(o.algorithm ? { algorithm: o.algorithm } : {}), strategy: o.strategy, space, budget: intOption('--budget', o.budget), concurrency: intOption('--concurrency', o.concurrency), metric: o.metric, baseParams: parseParams(o.param),
        }));
        if (o.json) return printJson(await getSweep(rt.ctx, sweep.id));
        console.log(`launched sweep "${sweep.name}" (${sweep.id}) with ${sweep.runs} runs`);
      }),
    );
}
