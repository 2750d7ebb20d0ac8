import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalStore } from './storage';
import { apiKey, manifest, publish, requestBaskets, storeModel, trainModel } from './testing/fixtures';

/**
 * The container's entry point: build.mjs bundles the service into one file, which
 * runs with plain node from a folder without node_modules (as in the image).
 */
const run = promisify(execFile);
const BUILD = path.resolve(import.meta.dirname, '..', 'build.mjs');
let dir: string;
let child: ChildProcess | null = null;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'inference-build-'));
  await run(process.execPath, [BUILD, path.join(dir, 'dist')]);
}, 120_000);
afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((resolve) => child!.once('exit', resolve));
  }
  await fs.rm(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForHealth(url: string, proc: ChildProcess, output: () => string) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`the bundle exited with ${proc.exitCode}:\n${output()}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return res;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no answer from ${url}/healthz:\n${output()}`);
}

describe('the bundled service (inference/dist/main.mjs)', () => {
  it('starts with plain node and no node_modules, follows the manifest and predicts', async () => {
    const storage = path.join(dir, 'storage');
    const store = createLocalStore(storage);
    const key = apiKey('bundle');
    const model = await storeModel(store, await trainModel(), 1);
    await publish(store, manifest(1, model, [key.key]));
    const port = await freePort();
    const bundleDir = path.join(dir, 'dist');
    let output = '';
    const proc = spawn(process.execPath, [path.join(bundleDir, 'main.mjs')], {
      cwd: bundleDir,
      // Two workers, as the image runs on a 2-core node (its default is one per core): the bundle forks itself.
      env: { PATH: process.env.PATH, NODE_ENV: 'production', INFERENCE_WORKERS: '2', INFERENCE_PORT: String(port), INFERENCE_HOST: '127.0.0.1', STORAGE_DIR: storage, INFERENCE_POLL_MS: '200', SERVICE_VERSION: 'bundle-test', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    proc.stdout.on('data', (c) => (output += c));
    proc.stderr.on('data', (c) => (output += c));
    const url = `http://127.0.0.1:${port}`;
    const health = await waitForHealth(url, proc, () => output);
    expect(await health.json()).toEqual({ status: 'ok', service: 'inference', version: 'bundle-test' });

    let ready = await fetch(`${url}/readyz`);
    for (let i = 0; i < 100 && ready.status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      ready = await fetch(`${url}/readyz`);
    }
    expect(ready.status).toBe(200);
    const predicted = await fetch(`${url}/v1/predict`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: key.header }, body: JSON.stringify({ basket: requestBaskets(1)[0] }) });
    expect(predicted.status).toBe(200);
    expect(((await predicted.json()) as { model: { versionId: string } }).model.versionId).toBe(model.versionId);

    proc.kill('SIGTERM');
    const code = await new Promise((resolve) => proc.once('exit', resolve));
    expect(code).toBe(0);
  }, 60_000);

  it('exits 1 naming the variable when the configuration is bad', async () => {
    const res = await run(process.execPath, [path.join(dir, 'dist', 'main.mjs')], { env: { PATH: process.env.PATH, NODE_ENV: 'production', INFERENCE_PORT: 'http' } }).catch((e) => e);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('INFERENCE_PORT must be a port number (1–65535) (got "http")');
  });
});
