import 'server-only';
import fs from 'node:fs/promises';
import path from 'node:path';

/** Where an embedded cluster keeps its files, and how to find a running one (no process control here). */

export type EmbeddedPostgresInfo = { user: string; password: string; database: string; port: number };


export function embeddedPaths(dataDir: string) {
  const root = path.resolve(dataDir);
  return {
    root,
    cluster: path.join(root, 'postgres'),
    config: path.join(root, 'postgres.json'),
    log: path.join(root, 'postgres.log'),
    lock: path.join(root, 'postgres.lock'),
  };
}

export function connectionUrl(info: EmbeddedPostgresInfo, port = info.port) {
  return `postgresql://${encodeURIComponent(info.user)}:${encodeURIComponent(info.password)}@127.0.0.1:${port}/${info.database}`;
}


export async function readInfo(configPath: string): Promise<EmbeddedPostgresInfo | null> {
  try {
    return JSON.parse(await fs.readFile(configPath, 'utf8')) as EmbeddedPostgresInfo;
  } catch {
    return null;
  }
}

/** The running postmaster's pid and port, from PostgreSQL's own lock file, if it is alive. */
export async function runningPostmaster(clusterDir: string): Promise<{ pid: number; port: number } | null> {
  let text: string;
  try {
    text = await fs.readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8');
  } catch {
    return null;
  }
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port)) return null;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM means the process exists but belongs to another user: still alive.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return null;
  }
  return { pid, port };
}


/**
 * For processes that must not start the server themselves (the web app started
 * outside the supervisor): the URL of the running embedded server, or null.
 */
export async function findRunningEmbeddedPostgres(dataDir: string): Promise<string | null> {
  const paths = embeddedPaths(dataDir);
  const info = await readInfo(paths.config);
  const running = await runningPostmaster(paths.cluster);
  if (!info || !running) return null;
  return connectionUrl(info, running.port);
}
