import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, expect, it } from 'vitest';
import type { Db } from '@/server/db/client';
import { LATENCY_BOUNDS_MS } from '@/server/services/monitoring/latency-histogram';
import { createTestDatabase } from '@/test/db';
import { tempDir } from '@/test/transactions';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..', '..');
let db: Db;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  const test = await createTestDatabase();
  db = test.db;
  env = { ...process.env, DATABASE_URL: test.url, MLOPS_DATA_DIR: await tempDir('pricesense-alerts-cli-'), LOG_LEVEL: 'silent' };
});

it('`mlops alerts evaluate --json` fires a rule the traffic breaks, as the worker would, and audits it', async () => {
  // Two minutes ago: 50 requests, all between 200 and 500 ms — over the default p95 objective of 200 ms.
  const deploymentId = (await db.deployment.create({ data: { name: 'production' } })).id;
  const counts = new Array<number>(LATENCY_BOUNDS_MS.length + 1).fill(0);
  counts[9] = 50;
  await db.metricRollup.create({
    data: {
      deploymentId, bucketStart: new Date(Math.floor(Date.now() / 60_000) * 60_000 - 120_000), bucketSeconds: 60, requests: 50, errors: 0,
      statusCounts: { 200: 50 }, latencyBucketsMs: LATENCY_BOUNDS_MS, latencyCounts: counts, latencySumMs: 0, predictionsByClass: {},
    },
  });

  const { stdout } = await run('npm', ['run', '-s', 'mlops', '--', 'alerts', 'evaluate', '--no-collect', '--json'], { cwd: root, env, timeout: 90_000 });
  const out = JSON.parse(stdout) as { evaluated: number; fired: number; resolved: number; fired_rule_ids: string[]; open: { rule: string; deployment: string; message: string }[] };
  const p95 = await db.alertRule.findFirstOrThrow({ where: { kind: 'latency_p95', deploymentId } });
  expect(out).toMatchObject({ fired: 1, resolved: 0, fired_rule_ids: [p95.id] });
  expect(out.evaluated).toBeGreaterThanOrEqual(4);
  expect(out.open).toEqual([expect.objectContaining({ rule: p95.name, deployment: 'production', message: expect.stringMatching(/^production: p95 latency is \d+ ms/) })]);
  const audit = await db.auditEvent.findFirstOrThrow({ where: { action: 'alerts.evaluate' } });
  expect(audit.actorLabel).toMatch(/^cli \(/);
});
