import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';

/**
 * A real AWS API emulator (moto server) for adapter integration tests: the
 * adapters talk HTTP to it through the real SDK, so no hand-written fakes.
 */
export type MotoServer = { endpoint: string; stop(): Promise<void> };

const START_TIMEOUT_MS = 30_000;
const OUTPUT_TAIL = 4000;

// Runs moto.server's own entry point (same as `python3 -m moto.server -H … -p …`) plus a
// watchdog thread: when our end of stdin closes (this process exited, even by SIGKILL), it exits.
const LAUNCHER = [
  'import os, sys, threading',
  'from moto.server import main',
  'def watch():',
  '    sys.stdin.read()',
  '    os._exit(0)',
  'threading.Thread(target=watch, daemon=True).start()',
  'main(sys.argv[1:])',
].join('\n');

export async function startMoto(): Promise<MotoServer> {
  assertMotoInstalled();
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn('python3', ['-c', LAUNCHER, '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // Keep draining output (a full pipe would block moto) but remember only the tail, for error messages.
  let output = '';
  const remember = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_TAIL);
  };
  child.stdout.on('data', remember);
  child.stderr.on('data', remember);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  // Synchronous kill on exit: covers a test file that crashes or never reaches afterAll.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      process.removeListener('exit', killOnExit);
      throw new Error(`moto server exited with code ${child.exitCode} before answering:\n${output}`);
    }
    if (await answers(endpoint)) return { endpoint, stop };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`moto server did not answer on ${endpoint} within ${START_TIMEOUT_MS / 1000}s:\n${output}`);
}

/** Forget every bucket, job, metric… so tests can start from a blank account. */
export async function resetMoto(endpoint: string): Promise<void> {
  const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!res.ok) throw new Error(`moto reset failed: HTTP ${res.status}`);
}

function assertMotoInstalled(): void {
  const probe = spawnSync('python3', ['-c', 'import moto.server'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    const why = probe.error?.message ?? probe.stderr.trim().split('\n').pop() ?? `exit code ${probe.status}`;
    throw new Error(
      `AWS adapter integration tests need the moto server (python3 + moto), which is not available: ${why}\n` +
        `Install it with: pip install 'moto[server]'`,
    );
  }
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Dummy credentials moto accepts; the SDK must not look for real ones. */
export const MOTO_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/**
 * One moto server for a test file, reset before each test. Returns a getter: the
 * server exists only once beforeAll has run.
 */
export function sharedMotoServer(hooks: { beforeAll: (fn: () => Promise<void>, timeout?: number) => void; afterAll: (fn: () => Promise<void>) => void; beforeEach: (fn: () => Promise<void>) => void }): () => MotoServer {
  let moto: MotoServer | undefined;
  hooks.beforeAll(async () => {
    moto = await startMoto();
  });
  hooks.afterAll(async () => {
    await moto?.stop();
  });
  hooks.beforeEach(async () => {
    await resetMoto(moto!.endpoint);
  });
  return () => moto!;
}
