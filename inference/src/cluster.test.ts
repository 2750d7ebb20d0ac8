import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instanceStatusKey, instanceStatusSchema, type InstanceStatus } from './contract';
import { createLocalStore, type ObjectStore } from './storage';
import { apiKey, manifest, publish, requestBaskets, storeModel, trainModel, type Published } from './testing/fixtures';

/**
 * The service as a cluster (INFERENCE_WORKERS=2), run from source the way `up`
 * runs it: one instance to the outside — one status, /metrics summing every
 * worker whichever answers — while each worker writes its own telemetry files;
 * swaps under load fail no request; a killed worker is replaced.
 */
const REPO = path.resolve(import.meta.dirname, '..', '..');
const INSTANCE = 'cluster-test';
const key = apiKey('cluster');
let dir: string;
let store: ObjectStore;
let proc: ChildProcess;
let base: string;
let revision = 1;
let v1: Published;
let v2: Published;
const logs: Record<string, unknown>[] = [];
let output = '';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitFor<T>(what: string, probe: () => T | null | undefined | false | Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${output.slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const startedPids = () => logs.filter((l) => l.msg === 'worker process started').map((l) => l.workerPid as number);
const bodies = requestBaskets(40, 21).map((basket, i) => JSON.stringify(i % 4 ? { basket } : { baskets: [basket, basket] }));

/** `fresh`: a new connection, so the cluster hands it to the next worker in turn. */
async function predict(body = bodies[0]!, fresh = false): Promise<{ status: number; versionId: string | null }> {
  const headers: Record<string, string> = { 'content-type': 'application/json', authorization: key.header };
  if (fresh) headers.connection = 'close';
  const res = await fetch(`${base}/v1/predict`, { method: 'POST', body, headers });
  const json = (await res.json()) as { model?: { versionId: string } };
  return { status: res.status, versionId: json.model?.versionId ?? null };
}

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`, { headers: { connection: 'close' } })).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : NaN;
}

const predictedOk = 'inference_http_requests_total{route="/v1/predict",status="200"}';

async function status(): Promise<InstanceStatus> {
  return instanceStatusSchema.parse(JSON.parse(await fs.readFile(path.join(dir, instanceStatusKey('production', INSTANCE)), 'utf8')));
}

async function telemetryFiles(): Promise<string[]> {
  const root = path.join(dir, 'telemetry');
  const entries = await fs.readdir(root, { recursive: true }).catch(() => [] as string[]);
  return entries.filter((f) => f.endsWith('.jsonl')).map((f) => path.join(root, f));
}

/** Clients sending requests back to back until stopped: every answer is kept. */
function load(clients: number) {
  const results: { status: number; versionId: string | null }[] = [];
  let running = true;
  const done = Promise.all(Array.from({ length: clients }, async (_, c) => {
    for (let i = c; running; i++) results.push(await predict(bodies[i % bodies.length]!).catch((error: Error) => ({ status: 0, versionId: error.message })));
  }));
  return { results, stop: async () => { running = false; await done; } };
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'inference-cluster-'));
  store = createLocalStore(dir);
  v1 = await storeModel(store, await trainModel('logistic_regression'), 1);
  v2 = await storeModel(store, await trainModel('gbdt'), 2);
  await publish(store, manifest(revision, v1, [key.key]));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  proc = spawn(process.execPath, ['--import', 'tsx', 'inference/src/main.ts'], {
    cwd: REPO,
    env: {
      PATH: process.env.PATH, NODE_ENV: 'production', INFERENCE_WORKERS: '2', INFERENCE_PORT: String(port), INFERENCE_HOST: '127.0.0.1', STORAGE_DIR: dir,
      INFERENCE_INSTANCE_ID: INSTANCE, INFERENCE_POLL_MS: '100', INFERENCE_TELEMETRY_FLUSH_MS: '200', LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let partial = '';
  const take = (chunk: Buffer) => {
    output += chunk.toString();
    partial += chunk.toString();
    const lines = partial.split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not a log line
      }
    }
  };
  proc.stdout!.on('data', take);
  proc.stderr!.on('data', take);
  await waitFor('two workers', () => startedPids().length >= 2, 60_000);
  await waitFor('the first model on every worker', async () => {
    const answers = await Promise.all([0, 1, 2, 3].map(() => predict(bodies[0], true).catch(() => null)));
    return answers.every((a) => a?.versionId === v1.versionId);
  });
}, 120_000);

afterAll(async () => {
  if (proc.exitCode === null && proc.signalCode === null) {
    proc.kill('SIGKILL');
    for (const pid of startedPids()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  await fs.rm(dir, { recursive: true, force: true });
});

describe('INFERENCE_WORKERS=2', () => {
  it('runs two worker processes under one instance id, reported once', async () => {
    const [a, b] = startedPids();
    expect(a).not.toBe(b);
    expect(a).not.toBe(proc.pid);
    expect(await metric('inference_workers')).toBe(2);
    const s = await status();
    expect(s).toMatchObject({ instanceId: INSTANCE, state: 'serving', model: { versionId: v1.versionId } });
    const files = await fs.readdir(path.join(dir, 'deployments', 'production', 'instances'));
    expect(files).toEqual([`${INSTANCE}.json`]);
  });

  it('/metrics counts the requests of every worker, whichever worker answers the scrape', async () => {
    const before = await metric(predictedOk);
    const sent = 300;
    let next = 0;
    // 16 clients, each on its own keep-alive connection: the cluster spreads them over both workers.
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (next < sent) {
        next++;
        expect((await predict(bodies[next % bodies.length])).status).toBe(200);
      }
    }));
    // Each scrape on a new connection, so consecutive scrapes are answered by different workers.
    const scrapes = await Promise.all([0, 1, 2, 3, 4, 5].map(() => metric(predictedOk)));
    expect(scrapes).toEqual(Array(6).fill(before + sent));
  });

  it('each worker writes its own telemetry files, which together hold every prediction', async () => {
    const labels = ['LA', 'MM', 'UM'];
    const predicted = (await Promise.all(labels.map((l) => metric(`inference_predictions_total{label="${l}"}`)))).reduce((a, b) => a + (b || 0), 0);
    const records = async () => (await Promise.all((await telemetryFiles()).map((f) => fs.readFile(f, 'utf8')))).join('').split('\n').filter(Boolean).length;
    await waitFor('every prediction in the telemetry files', async () => (await records()) === predicted);
    const bootIds = new Set((await telemetryFiles()).map((f) => new RegExp(`${INSTANCE}-([0-9a-z]+)-\\d{8}\\.jsonl$`).exec(f)?.[1]));
    expect([...bootIds].every(Boolean)).toBe(true);
    expect(bootIds.size).toBe(2);
  });

  it('swaps models under load on every worker without failing a request, counted once per swap', async () => {
    const swapsBefore = await metric('inference_model_swaps_total');
    const traffic = load(8);
    const flips = [v2, v1, v2, v1];
    try {
      for (const target of flips) {
        await publish(store, manifest(++revision, target, [key.key]));
        await waitFor(`${target.versionId} on both workers`, async () => {
          const answers = await Promise.all([0, 1, 2, 3].map(() => predict(bodies[0], true)));
          return answers.every((a) => a.versionId === target.versionId);
        });
        const seen = traffic.results.length;
        await waitFor('more traffic', () => traffic.results.length >= seen + 40);
      }
    } finally {
      await traffic.stop();
    }
    expect(traffic.results.length).toBeGreaterThan(160);
    expect(traffic.results.filter((r) => r.status !== 200)).toEqual([]);
    expect(await metric('inference_model_swaps_total')).toBe(swapsBefore + flips.length);
    expect(await status()).toMatchObject({ state: 'serving', manifestRevision: revision, model: { versionId: v1.versionId } });
  }, 60_000);

  it('refuses a tampered artifact on every worker: the old model keeps serving and the instance reports it', async () => {
    const at = v2.text.indexOf('"seed":') + '"seed":'.length;
    await store.put('models/tampered/model.json', v2.text.slice(0, at) + String((Number(v2.text[at]) + 1) % 10) + v2.text.slice(at + 1));
    await publish(store, manifest(++revision, v2, [key.key], { versionId: 'mv_tampered', artifactKey: 'models/tampered/model.json' }));
    const s = await waitFor('the refusal in the status', async () => {
      const current = await status();
      return current.state === 'error' && current;
    });
    expect(s).toMatchObject({ model: { versionId: v1.versionId }, lastError: { versionId: 'mv_tampered' } });
    expect(s.lastError!.message).toMatch(/^Refused model basket-price-sensitivity v2 \(mv_tampered\): The artifact was modified or corrupted/);
    for (let i = 0; i < 4; i++) {
      expect(await predict(bodies[0], true)).toEqual({ status: 200, versionId: v1.versionId });
      const ready = await fetch(`${base}/readyz`, { headers: { connection: 'close' } });
      expect(await ready.json()).toMatchObject({ ready: true, state: 'error', lastError: expect.stringMatching(/modified or corrupted/) });
    }
    expect(await metric('inference_model_refusals_total')).toBe(1);
  });

  it('replaces a worker that dies; its counts stay in /metrics and the new one serves the current model', async () => {
    for (let i = 0; i < 20; i++) await predict(bodies[i], true);
    const before = await metric(predictedOk);
    const victim = startedPids()[0]!;
    process.kill(victim, 'SIGKILL');
    const replacement = await waitFor('a replacement worker', () => startedPids().find((pid) => !startedPids().slice(0, 2).includes(pid)));
    expect(replacement).not.toBe(victim);
    expect(logs.find((l) => l.msg === 'a worker process exited unexpectedly: starting another')).toMatchObject({ workerPid: victim, signal: 'SIGKILL' });
    expect(await metric('inference_workers')).toBe(2);
    expect(await metric('inference_worker_restarts_total')).toBe(1);
    for (let i = 0; i < 4; i++) expect(await predict(bodies[i], true)).toEqual({ status: 200, versionId: v1.versionId });
    expect(await metric(predictedOk)).toBe(before + 4);
  });

  it('stops every worker and writes a final status on SIGTERM', async () => {
    const before = await status();
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (const pid of startedPids()) expect(() => process.kill(pid, 0)).toThrow();
    expect(Date.parse((await status()).reportedAt)).toBeGreaterThan(Date.parse(before.reportedAt));
  });
});
