import 'server-only';
import type { Command } from 'commander';
import { listMigrations } from '@/server/db/migrate';
import { getHealth } from '@/server/services/health/get-health';
import { ensureFirstAdmin } from '@/server/services/users/ensure-first-admin';
import { withRuntime } from '../command';
import { MIGRATIONS } from '../runtime';
import { printAdminCredentials, printJson } from '../output';

export function registerDb(program: Command) {
  const db = program.command('db').description('database maintenance');
  db.command('migrate')
    .description('apply pending migrations (also done automatically at start-up)')
    .option('--ensure-admin', 'on a database without users, create the first administrator (MLOPS_ADMIN_EMAIL / MLOPS_ADMIN_PASSWORD, else a generated password printed once), as `npm start` does; the web container runs this')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean; ensureAdmin?: boolean }) =>
      withRuntime(Boolean(o.json), async (rt) => {
        // openCliRuntime already applied pending migrations; report the state.
        const applied = await rt.db.$queryRawUnsafe<{ migration_name: string; finished_at: Date }[]>(
          'select migration_name, finished_at from "_prisma_migrations" where finished_at is not null order by migration_name',
        );
        const known = await listMigrations(MIGRATIONS);
        const admin = o.ensureAdmin ? await ensureFirstAdmin(rt.db, { email: rt.env.MLOPS_ADMIN_EMAIL, password: rt.env.MLOPS_ADMIN_PASSWORD }) : null;
        const result = { applied: applied.length, known: known.length, latest: applied.at(-1)?.migration_name ?? null, ...(o.ensureAdmin ? { createdAdmin: admin ? { email: admin.email, password: admin.password } : null } : {}) };
        if (o.json) return printJson(result);
        console.log(`Database is up to date: ${result.applied} of ${result.known} migrations applied (latest ${result.latest}).`);
        if (admin?.password) printAdminCredentials(admin.email, admin.password);
        else if (admin) console.log(`Created the first administrator ${admin.email} (password from MLOPS_ADMIN_PASSWORD).`);
      }),
    );
}

export function registerHealth(program: Command) {
  program
    .command('health')
    .description('check the database, storage and workers')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) =>
      withRuntime(Boolean(o.json), async (rt) => {
        const report = await getHealth({ db: rt.db, storage: rt.ctx.adapters.storage });
        if (o.json) printJson(report);
        else {
          console.log(`status:   ${report.status}`);
          console.log(`database: ${report.database.ok ? 'ok' : 'DOWN'} (${report.database.detail}, ${report.database.latencyMs} ms)`);
          console.log(`storage:  ${report.storage.ok ? 'ok' : 'DOWN'} (${report.storage.kind}: ${report.storage.detail})`);
          console.log(`workers:  ${report.workers.ok ? 'ok' : 'none'} (${report.workers.detail})`);
        }
        if (report.status === 'down') process.exitCode = 1;
      }),
    );
}
