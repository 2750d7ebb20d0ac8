/**
 * Dashboard API responses over a long, busy history (issue 7's target: p95 ≤ 300 ms
 * for a 30-day range with 10 million recorded predictions). Makes its own database
 * — a scratch embedded PostgreSQL under the temp folder, or a new database on the
 * server of DATABASE_URL, dropped at the end; never the platform's own — loads a
 * 30-day history in SQL (bench/lib/dashboard-seed.ts) — the database's triggers
 * keep the prediction, confusion and traffic-hour rollups as it goes, and the
 * worker's drift binning runs once, as after a deploy — then times the service
 * functions behind the Monitoring page, the overview and the Costs page:
 *
 * - cold: the first view of each of `--reps` different 30-day windows (each ends
 *   61 minutes before the previous one, so no hour bucket or cache is shared), right
 *   after a restart of the scratch server (empty shared buffers);
 * - warm: the same window asked `--reps` more times (the page polls every 10 s).
 *
 * Then each route handler once over HTTP (the REST API's real handlers behind a
 * plain HTTP server, with an API key), for the response size and the JSON cost.
 *
 *   npx tsx --conditions=react-server bench/dashboard.ts [--predictions 10000000] [--days 30] [--feedback 0.2] [--reps 10] [--json]
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createLocalStorage } from '../server/adapters/storage/local';
import { createPrismaClient, type Db } from '../server/db/client';
import { ensureEmbeddedPostgres, type EmbeddedPostgresHandle } from '../server/db/embedded-postgres';
import { applyMigrations } from '../server/db/migrate';
import { logger } from '../server/logger';
import { createApiKey } from '../server/services/api-keys/create-api-key';
import type { ServiceContext } from '../server/services/context';
import { syncDriftRollups } from '../server/services/monitoring/drift-rollups';
import { runDashboardTimings, runHttpOnce, type Timing } from './lib/dashboard-timing';
import { SEED_DEPLOYMENT, seedAlertHistory, seedCosts, seedEntities, seedMinuteRollups, seedPredictions, type SeedOptions } from './lib/dashboard-seed';

const { values: args } = parseArgs({
  options: {
    predictions: { type: 'string', default: '10000000' },
    days: { type: 'string', default: '30' },
    feedback: { type: 'string', default: '0.2' },
    reps: { type: 'string', default: '10' },
    json: { type: 'boolean', default: false },
  },
});
const opts: SeedOptions = { predictions: Number(args.predictions), days: Number(args.days), feedback: Number(args.feedback), now: Date.now() };
const REPS = Number(args.reps);
const TARGET_MS = 300;
const log = (m: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${m}\n`);
// The services' own info lines would land in stdout between the tables (or the --json); the bench says what happens.
logger.level = 'warn';

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pricesense-bench-dashboard-'));
let handle: EmbeddedPostgresHandle | null = null;
let url: string;
let dropDatabase: (() => Promise<void>) | null = null;
if (process.env.DATABASE_URL) {
  const name = `pricesense_bench_dashboard_${process.pid}`;
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  const u = new URL(process.env.DATABASE_URL);
  u.pathname = `/${name}`;
  url = u.toString();
  dropDatabase = async () => {
    const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await c.connect();
    await c.query(`drop database if exists "${name}" with (force)`);
    await c.end();
  };
  log(`database ${name} on DATABASE_URL's server (dropped at the end)`);
} else {
  handle = await ensureEmbeddedPostgres({ dataDir: dir, role: 'bench' });
  url = handle.url;
  log(`scratch embedded PostgreSQL in ${dir} (removed at the end)`);
}

let db: Db | null = null;
let cleaning: Promise<void> | null = null;
/** Once, however many ways the run ends; the files go after the server has stopped writing them. */
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    await db?.$disconnect().catch(() => undefined);
    await handle?.release().catch(() => undefined);
    await dropDatabase?.().catch(() => undefined);
    await fs.rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 300 });
  })();
  return cleaning;
}
// A long run interrupted (Ctrl-C) or failing outside the awaited chain still stops the scratch server and removes its files.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping the scratch database and removing ${dir}`);
    void cleanUp().finally(() => process.exit(130));
  });
}
process.once('uncaughtException', (error) => {
  log(`failed: ${error.stack ?? error.message}`);
  void cleanUp().finally(() => process.exit(1));
});
try {
  await applyMigrations(url, path.resolve(import.meta.dirname, '..', 'prisma', 'migrations'));
  db = createPrismaClient(url, 'pricesense:bench');
  const loadStarted = performance.now();
  const seeded = await seedEntities(db, opts);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await seedPredictions(client, seeded, opts, log);
    await seedMinuteRollups(client, log);
    await seedAlertHistory(client, opts);
    await seedCosts(client, seeded, opts);
    const [{ n, labelled }] = (await client.query<{ n: string; labelled: string }>(`select count(*) as n, count("trueLabel") as labelled from "Prediction"`)).rows as [{ n: string; labelled: string }];
    log(`loaded ${Number(n).toLocaleString('en-US')} predictions (${Number(labelled).toLocaleString('en-US')} with feedback) in ${((performance.now() - loadStarted) / 1000).toFixed(0)} s`);
  } finally {
    await client.end();
  }
  // What the worker does after a deploy: bin the history against the serving model's drift baseline.
  const binStarted = performance.now();
  const binned = await syncDriftRollups({ db, now: () => new Date(opts.now) }, { retentionDays: opts.days + 1, budgetMs: Number.POSITIVE_INFINITY });
  log(`drift bins: ${binned.hoursBinned} hours binned against the serving model's baseline in ${((performance.now() - binStarted) / 1000).toFixed(1)} s (the worker's one-off after a deploy)`);

  // Cold: a restarted server, so the first reads come from disk (or the OS cache), not PostgreSQL's buffers.
  await db.$disconnect();
  if (handle) {
    await handle.release();
    handle = await ensureEmbeddedPostgres({ dataDir: dir, role: 'bench' });
    url = handle.url;
  }
  db = createPrismaClient(url, 'pricesense:bench');
  const viewer = await db.user.findFirstOrThrow({ where: { role: 'viewer' } });
  const ctx: ServiceContext = {
    actor: { kind: 'user', userId: viewer.id, email: viewer.email, name: viewer.name, role: 'viewer' },
    db, adapters: { storage: createLocalStorage(path.join(dir, 'storage')) },
  };
  const timings = await runDashboardTimings(ctx, { now: opts.now, reps: REPS, deployment: SEED_DEPLOYMENT, log });
  const http = await runHttpOnce(ctx, { deployment: SEED_DEPLOYMENT, apiKey: await benchApiKey(db), log });
  report(timings, http);
} finally {
  await cleanUp();
}

async function benchApiKey(db: Db): Promise<string> {
  const admin = await db.user.findFirstOrThrow({ where: { role: 'admin' } });
  const ctx: ServiceContext = { actor: { kind: 'user', userId: admin.id, email: admin.email, name: admin.name, role: 'admin' }, db, adapters: { storage: createLocalStorage(path.join(dir, 'storage')) } };
  return (await createApiKey(ctx, { name: 'bench', scopes: ['read'] })).secret;
}

function report(timings: Timing[], http: { endpoint: string; ms: number; bytes: number; status: number }[] | string) {
  const pass = timings.filter((t) => t.target).every((t) => t.cold.p95 <= TARGET_MS && t.warm.p95 <= TARGET_MS);
  if (args.json) {
    console.log(JSON.stringify({ predictions: opts.predictions, days: opts.days, feedback: opts.feedback, reps: REPS, target_ms: TARGET_MS, pass, timings, http }, null, 2));
    return;
  }
  const ms = (n: number) => n.toFixed(0);
  console.table(timings.map((t) => ({
    endpoint: t.endpoint, 'cold p50': ms(t.cold.p50), 'cold p95': ms(t.cold.p95), 'cold max': ms(t.cold.max),
    'warm p50': ms(t.warm.p50), 'warm p95': ms(t.warm.p95), 'warm max': ms(t.warm.max), points: t.points,
    verdict: t.target ? (t.cold.p95 <= TARGET_MS && t.warm.p95 <= TARGET_MS ? 'PASS' : 'FAIL') : '(info)',
  })));
  if (typeof http === 'string') console.log(`HTTP: ${http}`);
  else console.table(http.map((h) => ({ 'GET (once, over HTTP)': h.endpoint, status: h.status, ms: ms(h.ms), KB: (h.bytes / 1024).toFixed(1) })));
  console.log(`${opts.predictions.toLocaleString('en-US')} predictions over ${opts.days} days, ${REPS} reps; p95 is the nearest rank (with 10 reps, the slowest).`);
  console.log(`target: every 30-day dashboard response p95 ≤ ${TARGET_MS} ms, cold and warm → ${pass ? 'PASS' : 'FAIL'}`);
}
