import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { processCpuSeconds, spawnTracked } from './services';

/** What bench/inference-wrk.lua prints: wrk's own counters and latency percentiles (ms). */
export type WrkResult = {
  requests: number;
  durationSeconds: number;
  bytes: number;
  /** `status` is wrk's count of responses with an HTTP status ≥ 400. */
  errors: { connect: number; read: number; write: number; timeout: number; status: number };
  latencyMs: { mean: number; p50: number; p90: number; p95: number; p99: number; max: number };
  /** CPU seconds wrk itself used (sampled from /proc every 200 ms, so the last moments may be missing); null without /proc. */
  wrkCpuSeconds: number | null;
};

export const WRK_SCRIPT = path.resolve(import.meta.dirname, '..', 'inference-wrk.lua');

/** wrk's path, or null when it is not installed (Debian: `apt-get install wrk`). */
export function findWrk(): string | null {
  const which = spawnSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() : null;
}

export type WrkOptions = {
  wrk: string; url: string; bodiesFile: string; apiKey: string; seconds: number; connections: number; threads: number; timeoutSeconds?: number;
  /** Offered requests/s (each connection pauses connections/rate seconds after a response); default: as fast as it answers. */
  rate?: number;
};

/** One wrk run of POST /v1/predict cycling through the bodies; resolves with the parsed result line. */
export function runWrk(o: WrkOptions): Promise<WrkResult> {
  const args = [
    `-t${o.threads}`, `-c${o.connections}`, `-d${o.seconds}s`, `--timeout`, `${o.timeoutSeconds ?? 10}s`, '--latency', '-s', WRK_SCRIPT, o.url,
    '--', o.bodiesFile, o.apiKey,
  ];
  return new Promise((resolve, reject) => {
    const env = o.rate ? { ...process.env, WRK_DELAY_MS: String((1000 * o.connections) / o.rate) } : process.env;
    const child = spawnTracked(o.wrk, args, { env });
    let cpu: number | null = null;
    const sampler = setInterval(() => (cpu = processCpuSeconds(child.pid!) ?? cpu), 200);
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    // 'close', not 'exit': the result line must have been read.
    child.on('close', (code, signal) => {
      clearInterval(sampler);
      const line = out.split('\n').find((l) => l.startsWith('WRK_RESULT '));
      if (code !== 0 || !line) return reject(new Error(`wrk failed (${signal ?? `exit ${code}`}):\n${out.trim().slice(-2000)}`));
      resolve({ ...(JSON.parse(line.slice('WRK_RESULT '.length)) as Omit<WrkResult, 'wrkCpuSeconds'>), wrkCpuSeconds: cpu });
    });
  });
}

export const totalErrors = (r: WrkResult) => r.errors.connect + r.errors.read + r.errors.write + r.errors.timeout + r.errors.status;
