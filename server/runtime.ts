import 'server-only';
import { createAdapters } from '@/server/adapters/create-adapters';
import type { StoragePort } from '@/server/adapters/storage/port';
import { createPrismaClient, type Db } from '@/server/db/client';
import { findRunningEmbeddedPostgres } from '@/server/db/embedded-info';
import { dataDir, getEnv, type Env } from '@/server/env';
import { AppError } from '@/server/errors';
import type { JobQueue } from '@/server/jobs/queue-port';
import { createJobQueue } from '@/server/jobs/queues';
import { createLoginLimiter, type LoginLimiter } from '@/server/services/auth/sign-in';
import type { Adapters } from '@/server/services/context';

/**
 * The web process's long-lived dependencies, built once from validated config:
 * the database client, the storage adapter and the login limiter. Services get
 * them through their context; nothing else constructs them.
 */
export type Runtime = { env: Env; db: Db; storage: StoragePort; queue: JobQueue; adapters: Adapters; loginLimiter: LoginLimiter };

const globalRef = globalThis as unknown as { __pricesenseRuntime?: Promise<Runtime> };

async function build(): Promise<Runtime> {
  const env = getEnv();
  const url = env.DATABASE_URL ?? (await findRunningEmbeddedPostgres(dataDir(env)));
  if (!url) {
    throw new AppError('UNAVAILABLE', 'The database is not running. Start the platform with `npm start` (or set DATABASE_URL).');
  }
  const db = createPrismaClient(url, `pricesense:${process.env.MLOPS_PROCESS ?? 'web'}`);
  const queue = await createJobQueue(url, `pricesense:${process.env.MLOPS_PROCESS ?? 'web'}-queue`);
  const adapters = await createAdapters(env, { queue });
  return {
    env,
    db,
    storage: adapters.storage,
    queue,
    adapters,
    loginLimiter: createLoginLimiter(db, { maxAttempts: env.LOGIN_MAX_ATTEMPTS, lockoutSeconds: env.LOGIN_LOCKOUT_SECONDS }),
  };
}

/** Cached on globalThis so Next's dev-mode module reloads do not open new pools. */
export function getRuntime(): Promise<Runtime> {
  globalRef.__pricesenseRuntime ??= build().catch((error) => {
    globalRef.__pricesenseRuntime = undefined;
    throw error;
  });
  return globalRef.__pricesenseRuntime;
}
