/**
 * The runs table with many runs: 10,000 runs (and 100,000 curve points) in a
 * scratch embedded PostgreSQL, then the queries behind the Runs page and the API
 * — newest first, sorted by a metric, filtered by status / algorithm / tag /
 * dataset, text search, a deep page — each timed (median of 7 after a warm-up).
 *
 *   npx tsx --conditions=react-server bench/runs-list.ts [runs]
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createPrismaClient } from '../server/db/client';
import { ensureEmbeddedPostgres } from '../server/db/embedded-postgres';
import { applyMigrations } from '../server/db/migrate';
import type { ServiceContext } from '../server/services/context';
import { getRun, listRuns } from '../server/services/runs/read-runs';

const N = Number(process.argv[2] ?? 10_000);
const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pricesense-bench-runs-'));
const pg = await ensureEmbeddedPostgres({ dataDir: dir, role: 'bench' });
try {
  await applyMigrations(pg.url, path.resolve(import.meta.dirname, '..', 'prisma', 'migrations'), () => undefined);
  const db = createPrismaClient(pg.url, 'pricesense:bench');
  const dataset = await db.dataset.create({ data: { name: 'bench' } });
  const versions = await Promise.all([1, 2, 3].map((v) => db.datasetVersion.create({ data: { datasetId: dataset.id, version: v, status: 'ready' } })));
  const algorithms = ['gbdt', 'logistic_regression', 'random_forest', 'decision_tree'];
  const statuses = ['succeeded', 'succeeded', 'succeeded', 'failed', 'cancelled', 'running', 'queued'] as const;
  const started = Date.now();
  for (let from = 0; from < N; from += 1000) {
    await db.run.createMany({
      data: Array.from({ length: Math.min(1000, N - from) }, (_, j) => {
        const i = from + j;
        const status = statuses[i % statuses.length]!;
        const done = status === 'succeeded';
        return {
          name: `run ${i}`, tags: [`team-${i % 7}`, ...(i % 100 === 0 ? ['nightly'] : [])], datasetVersionId: versions[i % 3]!.id, algorithm: algorithms[i % 4]!,
          params: { learningRate: 0.01 + (i % 50) / 100, maxLeaves: 8 + (i % 8) * 8 }, seed: i, status, progress: done ? 1 : 0.5,
          accuracy: done ? 0.9 + ((i * 7919) % 1000) / 10_000 : null, macroF1: done ? 0.89 + ((i * 104_729) % 1000) / 10_000 : null,
          durationMs: done ? 5_000 + (i % 600) * 100 : null, createdAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000),
        };
      }),
    });
  }
  const ids = (await db.run.findMany({ select: { id: true }, take: 1000, orderBy: { number: 'asc' } })).map((r) => r.id);
  for (let k = 0; k < ids.length; k += 100) {
    await db.runMetricPoint.createMany({ data: ids.slice(k, k + 100).flatMap((runId) => Array.from({ length: 100 }, (_, step) => ({ runId, key: 'train_loss', step, value: 1 / (step + 1) }))) });
  }
  console.log(`seeded ${N.toLocaleString('en-US')} runs and ${(ids.length * 100).toLocaleString('en-US')} curve points in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const ctx: ServiceContext = { actor: { kind: 'system', label: 'bench' }, db, adapters: { storage: undefined as never } };
  const cases: [string, () => Promise<unknown>][] = [
    ['newest first, page 1 (50)', () => listRuns(ctx, {})],
    ['sort by macro F1', () => listRuns(ctx, { sort: 'macroF1' })],
    ['sort by accuracy, ascending', () => listRuns(ctx, { sort: 'accuracy', order: 'asc' })],
    ['status = succeeded', () => listRuns(ctx, { status: 'succeeded' })],
    ['algorithm = gbdt, by duration', () => listRuns(ctx, { algorithm: 'gbdt', sort: 'durationMs' })],
    ['tag = nightly', () => listRuns(ctx, { tag: 'nightly' })],
    ['dataset = bench', () => listRuns(ctx, { dataset: 'bench' })],
    ['text search "run 99"', () => listRuns(ctx, { q: 'run 99' })],
    ['page 100 (deep offset)', () => listRuns(ctx, { page: 100, pageSize: 50 })],
    ['one run with its detail', () => getRun(ctx, ids[500]!)],
  ];
  const rows: Record<string, string>[] = [];
  for (const [name, fn] of cases) {
    await fn();
    const times: number[] = [];
    for (let r = 0; r < 7; r++) {
      const t = performance.now();
      await fn();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    rows.push({ query: name, 'median ms': times[3]!.toFixed(1), 'max ms': times[6]!.toFixed(1) });
  }
  console.table(rows);
  console.log('target: every query well under 200 ms with 10,000 runs (the page polls every 2 s)');
  await db.$disconnect();
} finally {
  await pg.release();
  await fs.rm(dir, { recursive: true, force: true });
}
