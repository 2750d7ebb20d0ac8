import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertWebhookPayload } from '@/lib/alerts';
import type { Db } from '@/server/db/client';
import { createTestDatabase } from '@/test/db';
import { contextAs, userContext } from '@/test/actors';
import type { ServiceContext } from '../context';
import { LATENCY_BOUNDS_MS } from '../monitoring/latency-histogram';
import { createAlertRule } from './create-alert-rule';
import { deleteAlertRule } from './delete-alert-rule';
import { evaluateAlerts } from './evaluate-alerts';
import { listAlertEvents, listAlertRules, listOpenAlerts } from './read-alerts';
import { updateAlertRule } from './update-alert-rule';

/**
 * Alert rules against a real Postgres: metric rollups and predictions are written
 * straight into the tables for controlled values, the clock is the context's, and
 * webhooks go to a local HTTP server that can be told to fail.
 */
let db: Db;
let deploymentId: string;
let engineer: ServiceContext;
let viewer: ServiceContext;
let hook: { url: string; calls: { path: string; body: AlertWebhookPayload; event: string | undefined }[]; close(): Promise<void> };

const MIN = 60_000;
const T0 = Date.UTC(2031, 4, 1, 12, 0, 0);
const system = (at: number): ServiceContext => ({ ...contextAs(db, { kind: 'system', label: 'alert test' }), now: () => new Date(at) });
const FAST = { webhook: { retries: 2, minTimeoutMs: 10, timeoutMs: 2000 } };

/** One minute of traffic: `requests` requests, `errors` of them failed, every latency in bucket `bucket` (LATENCY_BOUNDS_MS index). */
async function minute(at: number, requests: number, errors: number, bucket: number) {
  const counts = new Array<number>(LATENCY_BOUNDS_MS.length + 1).fill(0);
  counts[bucket] = requests;
  await db.metricRollup.create({
    data: {
      deploymentId, bucketStart: new Date(Math.floor(at / MIN) * MIN), bucketSeconds: 60, requests, errors,
      statusCounts: { 200: requests - errors, ...(errors ? { 500: errors } : {}) }, latencyBucketsMs: LATENCY_BOUNDS_MS, latencyCounts: counts, latencySumMs: 0, predictionsByClass: {},
    },
  });
}

async function startHook() {
  const calls: { path: string; body: AlertWebhookPayload; event: string | undefined }[] = [];
  const attemptsById = new Map<string, number>();
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = JSON.parse(raw) as AlertWebhookPayload;
      calls.push({ path: req.url ?? '', body, event: req.headers['x-pricesense-event'] as string | undefined });
      const key = `${body.id}:${body.event}`;
      const attempt = (attemptsById.get(key) ?? 0) + 1;
      attemptsById.set(key, attempt);
      // /flaky fails the first attempt of each notification; /broken always fails; /gone refuses for good.
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      const status = path === '/broken' ? 500 : path === '/gone' ? 410 : path === '/flaky' && attempt === 1 ? 503 : 204;
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, calls, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

beforeAll(async () => {
  ({ db } = await createTestDatabase());
  deploymentId = (await db.deployment.create({ data: { name: 'production' } })).id;
  engineer = (await userContext(db, 'ml_engineer')).ctx;
  viewer = (await userContext(db, 'viewer')).ctx;
  hook = await startHook();
});
afterAll(async () => {
  await hook?.close();
});

const ruleOf = async (kind: string) => (await listAlertRules(viewer, { deployment: 'production' })).find((r) => r.kind === kind)!;

describe('alert rules', () => {
  it('creates the defaults once on first use, per deployment and for the platform', async () => {
    const rules = await listAlertRules(viewer, { deployment: 'production' });
    expect(rules.map((r) => [r.kind, r.deployment, r.comparator, r.threshold, r.windowMinutes, r.state])).toEqual([
      ['cost_forecast', null, '>', 1, 60, 'pending'],
      ['latency_p95', 'production', '>', 200, 15, 'pending'],
      ['error_rate', 'production', '>', 0.01, 15, 'pending'],
      ['live_accuracy', 'production', '<', 0.75, 1440, 'pending'],
      ['drift_psi', 'production', '>=', 0.25, 60, 'pending'],
    ]);
    expect(rules[1]!.condition).toBe('p95 latency > 200 ms over 15 min');
    // A deleted default stays deleted: defaults are made once, not kept.
    await deleteAlertRule(engineer, rules[4]!.id);
    expect((await listAlertRules(viewer)).map((r) => r.kind)).toEqual(['cost_forecast', 'latency_p95', 'error_rate', 'live_accuracy']);
    expect(await db.auditEvent.count({ where: { action: 'alerts.defaults' } })).toBe(2);
    expect(await db.auditEvent.count({ where: { action: 'alerts.rule_delete' } })).toBe(1);
  });

  it('lets engineers create, change and delete rules with clear errors, and nobody else', async () => {
    const created = await createAlertRule(engineer, { kind: 'drift_psi', deployment: 'production', threshold: 0.2, webhookUrl: `${hook.url}/drift` });
    expect(created).toMatchObject({ kind: 'drift_psi', deployment: 'production', comparator: '>=', threshold: 0.2, windowMinutes: 60, isEnabled: true, name: 'Data drift (production)', createdBy: expect.stringMatching(/ml_engineer/) });

    const refused = async (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as { code: string; message: string; details?: { fields?: { field: string }[] } });
    expect(await refused(createAlertRule(viewer, { kind: 'error_rate', deployment: 'production' }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await refused(updateAlertRule((await userContext(db, 'approver')).ctx, created.id, { threshold: 0.3 }))).toMatchObject({ code: 'FORBIDDEN' });
    const cases: [unknown, string, RegExp][] = [
      [{ kind: 'error_rate', deployment: 'production', threshold: 5 }, 'threshold', /between 0% and 100%.*e\.g\. 0\.01 for 1%/],
      [{ kind: 'error_rate' }, 'deployment', /is required/],
      [{ kind: 'cost_forecast', deployment: 'production' }, 'deployment', /must be left out/],
      [{ kind: 'error_rate', deployment: 'production', webhookUrl: 'ftp://example.com/x' }, 'webhookUrl', /http/],
      [{ kind: 'error_rate', deployment: 'production', severity: 'high' }, 'severity', /unknown field/],
      [{ kind: 'queue_depth', deployment: 'production' }, 'kind', /must be one of/],
      [{ kind: 'latency_p95', deployment: 'production', windowMinutes: 0 }, 'windowMinutes', /at least 1/],
    ];
    for (const [input, field, message] of cases) {
      const error = await refused(createAlertRule(engineer, input));
      expect(error, JSON.stringify(input)).toMatchObject({ code: 'VALIDATION' });
      expect(error!.details!.fields).toEqual([expect.objectContaining({ field, message: expect.stringMatching(message) })]);
    }
    expect(await refused(createAlertRule(engineer, { kind: 'error_rate', deployment: 'nowhere' }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refused(updateAlertRule(engineer, created.id, {}))).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/nothing to change/) });
    expect(await refused(updateAlertRule(engineer, created.id, { kind: 'error_rate' }))).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/unknown field: kind/) });

    const changed = await updateAlertRule(engineer, created.id, { threshold: 0.3, webhookUrl: '' });
    expect(changed).toMatchObject({ threshold: 0.3, webhookUrl: null });
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: 'alerts.rule_update', entityId: created.id } });
    expect(audit.summary).toBe('Alert rule "Data drift (production)" on production: threshold PSI 0.200 → PSI 0.300, webhook removed (Data drift >= PSI 0.300 over 1 h)');
    // The rule editor sends every field: only what differs is in the audit log.
    await updateAlertRule(engineer, created.id, { name: changed.name, threshold: 0.35, windowMinutes: changed.windowMinutes, webhookUrl: '', isEnabled: true });
    const resent = await db.auditEvent.findFirstOrThrow({ where: { action: 'alerts.rule_update', entityId: created.id }, orderBy: { id: 'desc' } });
    expect(resent.summary).toBe('Alert rule "Data drift (production)" on production: threshold PSI 0.300 → PSI 0.350 (Data drift >= PSI 0.350 over 1 h)');
    await deleteAlertRule(engineer, created.id);
    expect(await refused(deleteAlertRule(engineer, created.id))).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('evaluating alerts', () => {
  it('fires once, stays firing without duplicates or a resolution while there is no traffic, resolves when the value clears; the webhook is retried', async () => {
    const latency = await ruleOf('latency_p95');
    await updateAlertRule(engineer, latency.id, { webhookUrl: `${hook.url}/flaky?token=secret` });
    // 15 minutes of slow traffic: every request between 200 and 500 ms, p95 ≈ 485 ms.
    for (let m = 1; m <= 15; m++) await minute(T0 - m * MIN, 20, 0, 9);

    const first = await evaluateAlerts(system(T0), FAST);
    expect(first.fired).toEqual([latency.id]);
    expect(first).toMatchObject({ notified: 1, notifyFailed: 0, failed: [] });
    const flakyCalls = () => hook.calls.filter((c) => c.path.startsWith('/flaky'));
    // The first attempt got a 503, the retry went through.
    expect(flakyCalls()).toHaveLength(2);
    const payload = flakyCalls()[1]!;
    expect(payload.event).toBe('alert.firing');
    expect(payload.body).toMatchObject({
      event: 'alert.firing', value: 485, resolvedAt: null, firedAt: new Date(T0).toISOString(),
      rule: { id: latency.id, kind: 'latency_p95', deployment: 'production', comparator: '>', threshold: 200, windowMinutes: 15, unit: 'ms' },
      message: 'production: p95 latency is 485 ms (rule: p95 latency > 200 ms over 15 min); 300 requests',
    });
    const [event] = await db.alertEvent.findMany({ where: { ruleId: latency.id } });
    expect(event).toMatchObject({ state: 'firing', value: 485, resolvedAt: null, notifyError: null, notifiedAt: expect.any(Date) });

    // A minute later, still slow: no second event, no second webhook.
    await minute(T0, 20, 0, 9);
    const again = await evaluateAlerts(system(T0 + MIN), FAST);
    expect(again.fired).toEqual([]);
    expect(await db.alertEvent.count({ where: { ruleId: latency.id } })).toBe(1);
    expect(flakyCalls()).toHaveLength(2);
    expect((await ruleOf('latency_p95'))).toMatchObject({ state: 'firing', value: 485 });
    expect((await listOpenAlerts(viewer)).map((e) => e.ruleId)).toEqual([latency.id]);

    // Half an hour without traffic: no value, so it neither fires again nor resolves.
    const quiet = await evaluateAlerts(system(T0 + 30 * MIN), FAST);
    expect(quiet).toMatchObject({ fired: [], resolved: [] });
    expect(await ruleOf('latency_p95')).toMatchObject({ state: 'firing', value: null, note: '0 prediction requests in the window; at least 10 are needed.' });

    // Fast again: resolved, and the webhook says so (again after one failed attempt).
    for (let m = 1; m <= 15; m++) await minute(T0 + 60 * MIN - m * MIN, 20, 0, 3);
    const cleared = await evaluateAlerts(system(T0 + 60 * MIN), FAST);
    expect(cleared.resolved).toEqual([latency.id]);
    const resolvedCall = flakyCalls().at(-1)!;
    expect(flakyCalls()).toHaveLength(4);
    expect(resolvedCall.body).toMatchObject({ event: 'alert.resolved', id: event!.id, value: 4.85, resolvedAt: new Date(T0 + 60 * MIN).toISOString(), firedAt: new Date(T0).toISOString() });
    expect(await db.alertEvent.findUniqueOrThrow({ where: { id: event!.id } })).toMatchObject({ state: 'resolved', resolvedAt: new Date(T0 + 60 * MIN), notifyError: null });
    expect(await ruleOf('latency_p95')).toMatchObject({ state: 'ok', value: 4.85 });
    expect(await listOpenAlerts(viewer)).toEqual([]);
    const history = await listAlertEvents(viewer, { deployment: 'production' });
    expect(history[0]).toMatchObject({ id: event!.id, state: 'resolved', message: expect.stringMatching(/— resolved: p95 latency back to 4\.85 ms$/) });
  });

  it('records a failing webhook on the event and carries on with the other rules', async () => {
    const errors = await ruleOf('error_rate');
    const accuracy = await ruleOf('live_accuracy');
    await updateAlertRule(engineer, errors.id, { webhookUrl: `${hook.url}/broken` });
    await updateAlertRule(engineer, accuracy.id, { webhookUrl: `${hook.url}/gone` });
    const at = T0 + 3 * 3_600_000;
    // 5% errors over the last 15 minutes.
    for (let m = 1; m <= 10; m++) await minute(at - m * MIN, 20, 1, 3);
    // 40 predictions with feedback, half right: live accuracy 0.5 < 0.75.
    await db.prediction.createMany({
      data: Array.from({ length: 40 }, (_, i) => ({
        requestId: randomUUID(), deploymentId, at: new Date(at - 2 * 3_600_000), predictedLabel: 'MM', latencyMs: 3,
        trueLabel: i % 2 ? 'MM' : 'LA', feedbackAt: new Date(at - 3_600_000),
      })),
    });
    const before = hook.calls.length;
    const result = await evaluateAlerts(system(at), FAST);
    expect(result.fired.sort()).toEqual([errors.id, accuracy.id].sort());
    expect(result).toMatchObject({ notified: 0, notifyFailed: 2, failed: [] });
    const calls = hook.calls.slice(before);
    // 5xx retried (1 + 2 retries); a 410 is final at once.
    expect(calls.filter((c) => c.path === '/broken')).toHaveLength(3);
    expect(calls.filter((c) => c.path === '/gone')).toHaveLength(1);
    const errorEvent = await db.alertEvent.findFirstOrThrow({ where: { ruleId: errors.id } });
    expect(errorEvent).toMatchObject({ state: 'firing', value: 0.05, notifiedAt: null });
    expect(errorEvent.notifyError).toBe(`POST ${hook.url}/… failed after 3 attempts: HTTP 500 Internal Server Error`);
    const accuracyEvent = await db.alertEvent.findFirstOrThrow({ where: { ruleId: accuracy.id } });
    expect(accuracyEvent).toMatchObject({ value: 0.5, notifyError: expect.stringMatching(/failed after 1 attempt: HTTP 410/) });

    // Disabling a firing rule closes its alert (no webhook); evaluation then leaves it alone.
    const n = hook.calls.length;
    await updateAlertRule(engineer, errors.id, { isEnabled: false });
    expect(await db.alertEvent.findUniqueOrThrow({ where: { id: errorEvent.id } })).toMatchObject({ state: 'resolved', message: expect.stringMatching(/closed: the rule was disabled$/) });
    const later = await evaluateAlerts(system(at + MIN), FAST);
    expect(later.fired).toEqual([]);
    expect(hook.calls.length).toBe(n);
    expect(await ruleOf('error_rate')).toMatchObject({ state: 'disabled', isEnabled: false });
  });

  it('gives the rules it cannot judge no value and says why', async () => {
    const result = await evaluateAlerts(system(T0 + 30 * 86_400_000), FAST);
    expect(result.fired).toEqual([]);
    const rules = await listAlertRules(viewer);
    expect(rules.find((r) => r.kind === 'cost_forecast')).toMatchObject({ state: 'no-data', note: 'No costs recorded this month yet.' });
    expect(rules.find((r) => r.kind === 'live_accuracy')).toMatchObject({ state: 'firing', value: null, note: expect.stringMatching(/^0 predictions with feedback/) });
  });
});
