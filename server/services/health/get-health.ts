import 'server-only';
import type { StoragePort } from '@/server/adapters/storage/port';
import type { Db } from '@/server/db/client';

export type HealthReport = {
  status: 'ok' | 'degraded' | 'down';
  checkedAt: string;
  database: { ok: boolean; latencyMs: number; detail: string };
  storage: { ok: boolean; kind: string; detail: string };
  workers: { ok: boolean; active: number; detail: string };
};

const WORKER_STALE_MS = 60_000;

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, Math.round(performance.now() - start)];
}

/** Database and storage are required ("down" without them); a missing worker only degrades. */
export async function getHealth(deps: { db: Db; storage: StoragePort }, now = new Date()): Promise<HealthReport> {
  const database = await timed(() => deps.db.$queryRawUnsafe('select 1'))
    .then(([, latencyMs]) => ({ ok: true, latencyMs, detail: 'connected' }))
    .catch((error: Error) => ({ ok: false, latencyMs: -1, detail: error.message.split('\n')[0] ?? 'unreachable' }));
  const storageHealth = await deps.storage.health();
  const storage = { ok: storageHealth.ok, kind: deps.storage.kind, detail: storageHealth.detail };
  const workers = database.ok
    ? await deps.db.workerHeartbeat
        .count({ where: { lastSeenAt: { gt: new Date(now.getTime() - WORKER_STALE_MS) } } })
        .then((active) => ({ ok: active > 0, active, detail: active > 0 ? `${active} worker(s) alive` : 'no worker has reported in the last minute' }))
        .catch(() => ({ ok: false, active: 0, detail: 'unknown' }))
    : { ok: false, active: 0, detail: 'unknown (database unavailable)' };
  const status = !database.ok || !storage.ok ? 'down' : workers.ok ? 'ok' : 'degraded';
  return { status, checkedAt: now.toISOString(), database, storage, workers };
}
