import 'server-only';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';

/**
 * Applies prisma/migrations at start-up, keeping Prisma's own bookkeeping table
 * (`_prisma_migrations`) and advisory lock, so `prisma migrate deploy` and this
 * runner can be used interchangeably. Each migration runs in one transaction: a
 * failing migration leaves the database as it was and names the file.
 */

// Prisma Migrate's advisory lock key: concurrent runners (ours or Prisma's) wait.
const PRISMA_ADVISORY_LOCK = 72707369;

export type MigrationResult = { applied: string[]; alreadyApplied: number; checksumWarnings: string[] };

const BOOKKEEPING_SQL = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum"            VARCHAR(64) NOT NULL,
  "finished_at"         TIMESTAMPTZ,
  "migration_name"      VARCHAR(255) NOT NULL,
  "logs"                TEXT,
  "rolled_back_at"      TIMESTAMPTZ,
  "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export async function listMigrations(migrationsDir: string) {
  const entries = await fs.readdir(migrationsDir, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await fs.readFile(path.join(migrationsDir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

export async function applyMigrations(databaseUrl: string, migrationsDir: string, log: (m: string) => void = () => undefined): Promise<MigrationResult> {
  const migrations = await listMigrations(migrationsDir);
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'pricesense:migrate' });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK]);
    await client.query(BOOKKEEPING_SQL);
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null }>(
      'select migration_name, checksum, finished_at, rolled_back_at from "_prisma_migrations"',
    );
    const failed = rows.find((r) => !r.finished_at && !r.rolled_back_at);
    if (failed) {
      throw new Error(
        `Migration ${failed.migration_name} was started but never finished (a previous run failed). ` +
          `Fix the database by hand, then mark it with \`prisma migrate resolve\` or delete its row from "_prisma_migrations".`,
      );
    }
    const done = new Map(rows.filter((r) => r.finished_at).map((r) => [r.migration_name, r.checksum]));
    const result: MigrationResult = { applied: [], alreadyApplied: 0, checksumWarnings: [] };
    for (const migration of migrations) {
      const previous = done.get(migration.name);
      if (previous !== undefined) {
        result.alreadyApplied++;
        if (previous !== migration.checksum) result.checksumWarnings.push(migration.name);
        continue;
      }
      log(`applying migration ${migration.name}`);
      const id = randomUUID();
      try {
        await client.query('begin');
        await client.query(migration.sql);
        await client.query(
          `insert into "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
           values ($1, $2, $3, now(), now(), 1)`,
          [id, migration.checksum, migration.name],
        );
        await client.query('commit');
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw new Error(`Migration ${migration.name} failed and was rolled back: ${(error as Error).message}`);
      }
      result.applied.push(migration.name);
    }
    for (const name of result.checksumWarnings) log(`warning: migration ${name} was modified after it was applied`);
    return result;
  } finally {
    await client.query('select pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK]).catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}

export const MIGRATIONS_DIR = path.resolve(process.cwd(), 'prisma', 'migrations');
