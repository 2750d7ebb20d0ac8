import 'server-only';
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import type { Command } from 'commander';
import { ensureAuthSecret } from '@/server/auth/auth-secret';
import { createPrismaClient } from '@/server/db/client';
import { applyMigrations } from '@/server/db/migrate';
import { dataDir, parseEnv, type Env } from '@/server/env';
import { createJobQueue } from '@/server/jobs/queues';
import { requestDemoSetup } from '@/server/services/demo/setup-demo';
import { ensureFirstAdmin } from '@/server/services/users/ensure-first-admin';
import { printAdminCredentials, reportError } from '../output';
import { MIGRATIONS, note, openDatabase, PROJECT_ROOT } from '../runtime';
import { isBuildCurrent, sourceFingerprint, writeBuildStamp } from '../up/build-stamp';
import { ManagedChild, type ChildSpec } from '../up/children';

const bin = (name: string) => path.join(PROJECT_ROOT, 'node_modules', '.bin', name);

function portInUse(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(true));
    server.listen(port, host, () => server.close(() => resolve(false)));
  });
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: PROJECT_ROOT, env, stdio: 'inherit' });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

async function buildIfNeeded(env: NodeJS.ProcessEnv, force: boolean) {
  const fingerprint = await sourceFingerprint(PROJECT_ROOT);
  if (!force && (await isBuildCurrent(PROJECT_ROOT, fingerprint))) return;
  note('[up] building the web app (first start or sources changed; ~1 minute)…');
  const code = await run(bin('next'), ['build'], { ...env, NODE_ENV: 'production' });
  if (code !== 0) throw new Error('The web app failed to build (see the output above).');
  await writeBuildStamp(PROJECT_ROOT, fingerprint);
}

async function up(env: Env, options: { dev: boolean; rebuild: boolean }) {
  const host = env.HOST;
  for (const [name, port] of [['PORT', env.PORT], ['INFERENCE_PORT', env.INFERENCE_PORT]] as const) {
    if (await portInUse(port, host)) throw new Error(`Port ${port} on ${host} is already in use (another copy running?). Stop it or set ${name} to a free port.`);
  }
  const { url, handle } = await openDatabase(env, 'supervisor');
  try {
    await startAll(env, options, url, handle);
  } catch (error) {
    await handle?.release();
    throw error;
  }
}

async function startAll(env: Env, options: { dev: boolean; rebuild: boolean }, url: string, handle: Awaited<ReturnType<typeof openDatabase>>['handle']) {
  const host = env.HOST;
  const migrated = await applyMigrations(url, MIGRATIONS, (m) => note(`[db] ${m}`));
  note(`[db] ${migrated.applied.length ? `applied ${migrated.applied.length} migration(s)` : 'schema up to date'} (${env.DATABASE_URL ? 'DATABASE_URL' : `embedded PostgreSQL in ${dataDir(env)}`})`);

  const db = createPrismaClient(url, 'pricesense:supervisor');
  const admin = await ensureFirstAdmin(db, { email: env.MLOPS_ADMIN_EMAIL, password: env.MLOPS_ADMIN_PASSWORD });
  if (env.MLOPS_DEMO) {
    const queue = await createJobQueue(url, 'pricesense:supervisor-queue');
    if (await requestDemoSetup(db, queue, { rows: env.MLOPS_DEMO_ROWS })) note(`[up] first start: the worker is importing a synthetic demo dataset (${env.MLOPS_DEMO_ROWS.toLocaleString('en-US')} rows); MLOPS_DEMO=false skips this`);
    await queue.stop();
  }
  await db.$disconnect();
  if (admin && !admin.password) note(`[up] created the first administrator ${admin.email} (password from MLOPS_ADMIN_PASSWORD)`);

  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: url,
    AUTH_SECRET: await ensureAuthSecret(dataDir(env), env.AUTH_SECRET),
    AUTH_TRUST_HOST: 'true',
    MLOPS_DATA_DIR: dataDir(env),
    NEXT_TELEMETRY_DISABLED: '1',
  };
  if (!options.dev) await buildIfNeeded(childEnv, options.rebuild);

  const specs: ChildSpec[] = [
    {
      name: 'web', color: 36, cwd: PROJECT_ROOT, command: bin('next'),
      args: [options.dev ? 'dev' : 'start', '-p', String(env.PORT), '-H', host],
      env: { ...childEnv, MLOPS_PROCESS: 'web', NODE_ENV: options.dev ? 'development' : 'production' },
    },
    {
      name: 'worker', color: 33, cwd: PROJECT_ROOT, command: bin('tsx'),
      args: ['--conditions=react-server', 'server/jobs/worker.ts'],
      env: { ...childEnv, MLOPS_PROCESS: 'worker', NODE_ENV: 'production' },
    },
    {
      name: 'inference', color: 35, cwd: PROJECT_ROOT, command: bin('tsx'),
      args: ['inference/src/main.ts'],
      // One serving process on a laptop, which also runs the web app, the worker and PostgreSQL; INFERENCE_WORKERS=auto uses every core.
      env: { ...childEnv, MLOPS_PROCESS: 'inference', NODE_ENV: 'production', INFERENCE_WORKERS: childEnv.INFERENCE_WORKERS || '1', DATABASE_URL: undefined, AUTH_SECRET: undefined },
    },
  ];

  let shuttingDown = false;
  const children: ManagedChild[] = [];
  const shutdown = async (reason: string, exitCode: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    note(`\n[up] stopping (${reason})…`);
    await Promise.all(children.map((c) => c.stop()));
    const outcome = await handle?.release();
    if (outcome === 'left-running') note('[up] PostgreSQL left running: another command is still using it');
    note('[up] stopped');
    process.exit(exitCode);
  };
  for (const spec of specs) children.push(new ManagedChild(spec, (name) => void shutdown(`${name} keeps crashing`, 1)));
  // A terminal's Ctrl-C reaches us twice (directly, and relayed by the tsx/npm
  // wrappers), so only a second Ctrl-C pressed a moment later forces the exit.
  let firstInterrupt = 0;
  process.on('SIGINT', () => {
    if (firstInterrupt && Date.now() - firstInterrupt > 1500) {
      note('[up] forced exit');
      process.exit(130);
    }
    firstInterrupt ||= Date.now();
    void shutdown('Ctrl-C', 0);
  });
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
  for (const child of children) child.start();
  note(`[up] web app:          http://${host === '0.0.0.0' ? 'localhost' : host}:${env.PORT}`);
  note(`[up] inference service: http://${host === '0.0.0.0' ? 'localhost' : host}:${env.INFERENCE_PORT}`);
  note('[up] press Ctrl-C to stop everything');
  // Last, so the build output does not scroll it away.
  if (admin?.password) printAdminCredentials(admin.email, admin.password);
}

export function registerUp(program: Command) {
  program
    .command('up')
    .description('start everything: database (embedded unless DATABASE_URL), migrations, web app, worker and inference service')
    .option('--dev', 'run the web app in development mode (hot reload)')
    .option('--rebuild', 'rebuild the web app even if the build looks current')
    .action(async (o: { dev?: boolean; rebuild?: boolean }) => {
      try {
        await up(parseEnv(process.env), { dev: Boolean(o.dev), rebuild: Boolean(o.rebuild) });
      } catch (error) {
        process.exit(reportError(error, false));
      }
    });
}
