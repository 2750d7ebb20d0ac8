import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { ensureEmbeddedPostgres, type EmbeddedPostgresHandle } from '../server/db/embedded-postgres';
import { applyMigrations } from '../server/db/migrate';

/**
 * Integration tests run against a real PostgreSQL: TEST_DATABASE_URL when given,
 * else an embedded server under .test-data/. Migrations are applied once to a
 * template database; each test file clones it (test/db.ts), so files are isolated.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    databaseAdminUrl: string;
    templateDatabase: string;
    testRunId: string;
  }
}

// Databases carry the pid of the vitest run that made them, so two runs sharing the
// embedded server (two terminals, parallel helpers) never drop each other's databases.
const RUN = String(process.pid);
const TEMPLATE = `mlops_test_${RUN}_template`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
let handle: EmbeddedPostgresHandle | null = null;

export default async function setup(project: TestProject) {
  const root = path.resolve(import.meta.dirname, '..');
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    handle = await ensureEmbeddedPostgres({ dataDir: path.join(root, '.test-data'), role: 'vitest' });
    adminUrl = handle.url;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    // Leftovers of interrupted runs: databases whose run's process is gone (and
    // those of older versions without a pid in the name).
    const stale = await admin.query<{ datname: string }>("select datname from pg_database where datname like 'mlops_test_%'");
    for (const row of stale.rows) {
      const pid = /^mlops_test_(\d+)_/.exec(row.datname)?.[1];
      if (pid && pid !== RUN && alive(Number(pid))) continue;
      await admin.query(`drop database if exists "${row.datname}" with (force)`);
    }
    await admin.query(`create database "${TEMPLATE}"`);
  } finally {
    await admin.end();
  }
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${TEMPLATE}`;
  await applyMigrations(templateUrl.toString(), path.join(root, 'prisma', 'migrations'));
  project.provide('databaseAdminUrl', adminUrl);
  project.provide('templateDatabase', TEMPLATE);
  project.provide('testRunId', RUN);

  return async () => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(`drop database if exists "${TEMPLATE}" with (force)`).catch(() => undefined);
    await client.end();
    await handle?.release();
  };
}
