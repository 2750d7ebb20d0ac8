import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@/server/db/client';
import { AppError } from '@/server/errors';
import { userContext } from '@/test/actors';
import { createTestDatabase } from '@/test/db';
import type { ServiceContext } from '../context';
import { LATENCY_BOUNDS_MS } from '../monitoring/latency-histogram';
import { evaluateAlertsNow } from './evaluate-alerts-now';
import { listAlertRules, listOpenAlerts } from './read-alerts';
import { updateAlertRule } from './update-alert-rule';

/**
 * "Evaluate now": only for alerts:write, the same fire/resolve state machine as
 * the worker's minute job, and an audit row saying what it did.
 */
const NOW = new Date('2031-05-01T12:00:00Z');
let db: Db;
let engineer: ServiceContext;
let viewer: ServiceContext;

beforeAll(async () => {
  ({ db } = await createTestDatabase());
  const deploymentId = (await db.deployment.create({ data: { name: 'production' } })).id;
  engineer = { ...(await userContext(db, 'ml_engineer')).ctx, now: () => NOW };
  viewer = { ...(await userContext(db, 'viewer')).ctx, now: () => NOW };
  // 50 requests five minutes ago, all in the 5–10 ms bucket: p95 ≈ 10 ms, under the default 200 ms.
  const counts = new Array<number>(LATENCY_BOUNDS_MS.length + 1).fill(0);
  counts[4] = 50;
  await db.metricRollup.create({
    data: {
      deploymentId, bucketStart: new Date(NOW.getTime() - 5 * 60_000), bucketSeconds: 60, requests: 50, errors: 0,
      statusCounts: { 200: 50 }, latencyBucketsMs: LATENCY_BOUNDS_MS, latencyCounts: counts, latencySumMs: 0, predictionsByClass: {},
    },
  });
});

describe('evaluateAlertsNow', () => {
  it('is refused to a viewer, with nothing evaluated or audited', async () => {
    const error = await evaluateAlertsNow(viewer).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('FORBIDDEN');
    expect(await db.auditEvent.count({ where: { action: 'alerts.evaluate' } })).toBe(0);
    expect(await db.setting.findUnique({ where: { key: 'alert-evaluation' } })).toBeNull();
  });

  it('fires a rule whose threshold the traffic passes, then resolves it when the threshold goes back', async () => {
    const p95 = (await listAlertRules(engineer, { deployment: 'production' })).find((r) => r.kind === 'latency_p95')!;
    await updateAlertRule(engineer, p95.id, { threshold: 1 });

    const fired = await evaluateAlertsNow(engineer);
    expect(fired.fired).toBe(1);
    expect(fired.result.fired).toEqual([p95.id]);
    expect(await listOpenAlerts(viewer)).toEqual([expect.objectContaining({ ruleId: p95.id, state: 'firing', message: expect.stringMatching(/^production: p95 latency is \d/) })]);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: 'alerts.evaluate' }, orderBy: { id: 'desc' } });
    expect(audit).toMatchObject({ actorType: 'user', actorLabel: expect.stringMatching(/^ml_engineer-/), entityType: 'alert_rule' });
    expect(audit.summary).toMatch(/^Alert rules evaluated on demand\. Evaluated \d+ rules: 1 fired, none resolved/);
    expect(audit.after).toMatchObject({ fired: 1, resolved: 0, firedRuleIds: [p95.id] });

    // Evaluating again changes nothing: no second firing.
    expect((await evaluateAlertsNow(engineer)).fired).toBe(0);

    await updateAlertRule(engineer, p95.id, { threshold: 200 });
    const resolved = await evaluateAlertsNow(engineer);
    expect(resolved).toMatchObject({ fired: 0, resolved: 1 });
    expect(await listOpenAlerts(viewer)).toEqual([]);
    expect(await db.auditEvent.count({ where: { action: 'alerts.evaluate' } })).toBe(3);
  });
});
