import 'server-only';
import type { Command } from 'commander';
import { listMigrations } from '@/server/db/migrate';
import { getHealth } from '@/server/services/health/get-health';
import { withRuntime } from '../command';
import { MIGRATIONS } from '../runtime';
import { printJson } from '../output';

export function registerDb(program: Command) {
  const db = program.command('db').description('database maintenance');
  db.command('migrate')
    .description('apply pending migrations (also done automatically at start-up)')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) =>
      withRuntime(Boolean(o.json), async (rt) => {
        // openCliRuntime already applied pending migrations; report the state.
        const applied = await rt.db.$queryRawUnsafe<{ migration_name: string; finished_at: Date }[]>(
          'select migration_name, finished_at from "_prisma_migrations" where finished_at is not null order by migration_name',
        );
        const known = await listMigrations(MIGRATIONS);
        const result = { applied: applied.length, known: known.length, latest: applied.at(-1)?.migration_name ?? null };
        if (o.json) return printJson(result);
        console.log(`Database is up to date: ${result.applied} of ${result.known} migrations applied (latest ${result.latest}).`);
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
