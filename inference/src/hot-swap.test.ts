import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import { createLocalStore, type ObjectStore } from './storage';
import { apiKey, manifest, publish, requestBaskets, storeModel, trainModel, type Published } from './testing/fixtures';

/**
 * A real listening server under continuous load while the deployment flips
 * between two models: every request succeeds, and answers switch models.
 */
const key = apiKey('load');
let dir: string;
let store: ObjectStore;
let app: FastifyInstance;
let base: string;
let v1: Published;
let v2: Published;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'inference-swap-'));
  store = createLocalStore(dir);
  v1 = await storeModel(store, await trainModel('logistic_regression'), 1);
  v2 = await storeModel(store, await trainModel('gbdt'), 2);
  app = buildApp({ store, pollMs: 50 });
  await publish(store, manifest(1, v1, [key.key]));
  await app.listen({ host: '127.0.0.1', port: 0 });
  await app.inference.reload();
  const address = app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(async () => {
  await app.close();
  await fs.rm(dir, { recursive: true, force: true });
});

async function predictOnce(body: string): Promise<{ status: number; versionId: string | null }> {
  const res = await fetch(`${base}/v1/predict`, { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: key.header } });
  const json = (await res.json()) as { model?: { versionId: string } };
  return { status: res.status, versionId: json.model?.versionId ?? null };
}

describe('hot swap under load', () => {
  it('switches models between requests without failing one', async () => {
    const bodies = requestBaskets(40, 21).map((basket, i) => JSON.stringify(i % 4 ? { basket } : { baskets: [basket, basket] }));
    const results: { status: number; versionId: string | null }[] = [];
    let running = true;
    const client = async (c: number) => {
      for (let i = c; running; i++) results.push(await predictOnce(bodies[i % bodies.length]!));
    };
    const clients = Array.from({ length: 8 }, (_, c) => client(c));

    const flips = [v2, v1, v2, v1, v2, v1];
    let revision = 1;
    try {
      for (const target of flips) {
        await publish(store, manifest(++revision, target, [key.key]));
        // Alternate: half the flips found by the poller, half applied by reload().
        if (revision % 2) await app.inference.reload();
        else await waitFor(() => app.inference.holder.serving?.info.versionId === target.versionId);
        expect((await predictOnce(bodies[0]!)).versionId).toBe(target.versionId);
        const seen = results.length;
        await waitFor(() => results.length >= seen + 40);
      }
    } finally {
      running = false;
      await Promise.all(clients);
    }

    expect(results.length).toBeGreaterThan(240);
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    const order = results.map((r) => r.versionId).filter((id, i, all) => id !== all[i - 1]);
    // Answers changed model at least once per flip (concurrent clients may interleave around a flip).
    expect(order.length).toBeGreaterThanOrEqual(flips.length + 1);
    expect(new Set(order)).toEqual(new Set([v1.versionId, v2.versionId]));
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain(`inference_model_swaps_total ${flips.length + 1}`);
    expect(metrics).toContain(`inference_model_info{version_id="${v1.versionId}",version="1",sha256="${v1.sha256}"} 1`);
  }, 60_000);
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
