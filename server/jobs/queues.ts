import 'server-only';
import PgBoss from 'pg-boss';
import type { JobQueue } from './queue-port';

/** Queue names: one place, so producers (web, CLI) and the worker agree. */
export const QUEUES = {
  housekeeping: 'housekeeping',
  sweepImports: 'sweep-imports',
  datasetProcess: 'dataset.process',
  demoSetup: 'demo.setup',
  runExecute: 'run.execute',
  recoverRuns: 'runs.recover',
  syncServing: 'deployments.sync-serving',
  recordCosts: 'costs.record',
  evaluateAlerts: 'alerts.evaluate',
} as const;

export function createBoss(databaseUrl: string, applicationName: string) {
  return new PgBoss({ connectionString: databaseUrl, application_name: applicationName, schema: 'pgboss', max: 4 });
}

export async function ensureQueues(boss: PgBoss) {
  for (const name of Object.values(QUEUES)) await boss.createQueue(name);
}

/**
 * No automatic retries: a failed job is reported, and runs retry through their own
 * attempts. Training may take hours, so its jobs live longer before expiring.
 */
export function jobOptions(name: string) {
  return { retryLimit: 0, expireInSeconds: name === QUEUES.runExecute ? 12 * 3600 : 3 * 3600 };
}

/** A producer-side queue (web, CLI): sends jobs, runs no workers or maintenance. */
export async function createJobQueue(databaseUrl: string, applicationName: string): Promise<JobQueue & { stop(): Promise<void> }> {
  const boss = new PgBoss({ connectionString: databaseUrl, application_name: applicationName, schema: 'pgboss', max: 2, supervise: false, schedule: false });
  boss.on('error', () => undefined);
  await boss.start();
  await ensureQueues(boss);
  return {
    send: (name, data) => boss.send(name, data, jobOptions(name)),
    stop: () => boss.stop({ graceful: false, close: true }),
  };
}
