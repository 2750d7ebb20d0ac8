import 'server-only';
import os from 'node:os';
import path from 'node:path';
import { createAdapters } from '@/server/adapters/create-adapters';
import { createPrismaClient, type Db } from '@/server/db/client';
import { ensureEmbeddedPostgres, type EmbeddedPostgresHandle } from '@/server/db/embedded-postgres';
import { applyMigrations } from '@/server/db/migrate';
import { dataDir, parseEnv, type Env } from '@/server/env';
import type { ServiceContext } from '@/server/services/context';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..', '..');
export const MIGRATIONS = path.join(PROJECT_ROOT, 'prisma', 'migrations');

/** Progress and notices go to stderr so `--json` output on stdout stays machine-readable. */
export const note = (message: string) => process.stderr.write(`${message}\n`);

/**
 * Connect the way the CLI always does: DATABASE_URL when set; otherwise the
 * installation's embedded PostgreSQL — the running one, or started for the
 * duration of the command (and stopped afterwards if nothing else uses it).
 */
export async function openDatabase(env: Env, role: string): Promise<{ url: string; handle: EmbeddedPostgresHandle | null }> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, handle: null };
  const handle = await ensureEmbeddedPostgres({ dataDir: dataDir(env), role, log: (m) => note(`[postgres] ${m}`) });
  return { url: handle.url, handle };
}

export type CliRuntime = { env: Env; url: string; db: Db; ctx: ServiceContext; close(): Promise<void> };

export async function openCliRuntime(): Promise<CliRuntime> {
  const env = parseEnv(process.env);
  const { url, handle } = await openDatabase(env, 'cli');
  try {
    const migrated = await applyMigrations(url, MIGRATIONS, (m) => note(`[db] ${m}`));
    if (migrated.applied.length) note(`[db] applied ${migrated.applied.length} migration(s)`);
  } catch (error) {
    await handle?.release();
    throw error;
  }
  const db = createPrismaClient(url, 'pricesense:cli');
  const actor = { kind: 'system' as const, label: `cli (${os.userInfo().username}@${os.hostname()})` };
  return {
    env,
    url,
    db,
    ctx: { actor, db, adapters: await createAdapters(env) },
    async close() {
      await db.$disconnect();
      await handle?.release();
    },
  };
}
