import 'server-only';
import PgBoss from 'pg-boss';

/** Queue names: one place, so producers (web, CLI) and the worker agree. */
export const QUEUES = {
  housekeeping: 'housekeeping',
} as const;

export function createBoss(databaseUrl: string, applicationName: string) {
  return new PgBoss({ connectionString: databaseUrl, application_name: applicationName, schema: 'pgboss', max: 4 });
}

export async function ensureQueues(boss: PgBoss) {
  for (const name of Object.values(QUEUES)) await boss.createQueue(name);
}
