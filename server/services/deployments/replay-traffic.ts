import 'server-only';
import http from 'node:http';
import type { SampledBasket } from './sample-baskets';

export type TrafficOptions = {
  url: string;
  key: string;
  baskets: SampledBasket[];
  rps: number;
  durationSeconds: number;
  /** Share of answered predictions whose true label is sent to /v1/feedback (live accuracy needs it). */
  feedbackShare: number;
  maxInFlight?: number;
  onProgress?: (p: TrafficReport) => void;
  signal?: AbortSignal;
};

export type TrafficReport = {
  sent: number;
  ok: number;
  errors: number;
  errorsByStatus: Record<string, number>;
  feedbackSent: number;
  elapsedSeconds: number;
  achievedRps: number;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
  max_ms: number | null;
  firstError: string | null;
};

function percentile(sorted: Float64Array, p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * Replay baskets against a prediction API at a steady rate (open loop: requests
 * leave on schedule whether or not earlier ones have answered, up to maxInFlight),
 * measuring each round trip. Keep-alive connections, as a real client would use.
 */
export async function replayTraffic(o: TrafficOptions): Promise<TrafficReport> {
  const target = new URL(o.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.maxInFlight ?? 256 });
  const latencies: number[] = [];
  const report: TrafficReport = { sent: 0, ok: 0, errors: 0, errorsByStatus: {}, feedbackSent: 0, elapsedSeconds: 0, achievedRps: 0, p50_ms: null, p95_ms: null, p99_ms: null, max_ms: null, firstError: null };
  let inFlight = 0;
  const fail = (status: string, message: string) => {
    report.errors++;
    report.errorsByStatus[status] = (report.errorsByStatus[status] ?? 0) + 1;
    report.firstError ??= message;
  };

  const post = (pathname: string, body: string) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(
        { agent, host: target.hostname, port: target.port || 80, path: pathname, method: 'POST', headers: { authorization: `Bearer ${o.key}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, timeout: 10_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out after 10 s')));
      req.on('error', reject);
      req.end(body);
    });

  const bodies = o.baskets.map((b) => JSON.stringify({ basket: b.basket }));
  const sendOne = async (i: number) => {
    inFlight++;
    const started = performance.now();
    try {
      const res = await post(`${target.pathname.replace(/\/$/, '')}/v1/predict`, bodies[i % bodies.length]!);
      const ms = performance.now() - started;
      if (res.status !== 200) return fail(String(res.status), `HTTP ${res.status}: ${res.text.slice(0, 300)}`);
      report.ok++;
      latencies.push(ms);
      const trueLabel = o.baskets[i % o.baskets.length]!.trueLabel;
      if (trueLabel && o.feedbackShare > 0 && (i * 0.6180339887) % 1 < o.feedbackShare) {
        const { requestId } = JSON.parse(res.text) as { requestId: string };
        const fb = await post(`${target.pathname.replace(/\/$/, '')}/v1/feedback`, JSON.stringify({ requestId, label: trueLabel }));
        if (fb.status === 202 || fb.status === 200) report.feedbackSent++;
        else fail(`feedback ${fb.status}`, `feedback HTTP ${fb.status}: ${fb.text.slice(0, 300)}`);
      }
    } catch (error) {
      fail('network', (error as Error).message);
    } finally {
      inFlight--;
    }
  };

  const started = performance.now();
  const pending = new Set<Promise<void>>();
  let lastProgress = started;
  const finish = () => {
    const sorted = Float64Array.from(latencies).sort();
    report.elapsedSeconds = (performance.now() - started) / 1000;
    report.achievedRps = report.ok / Math.max(report.elapsedSeconds, 1e-9);
    report.p50_ms = percentile(sorted, 50);
    report.p95_ms = percentile(sorted, 95);
    report.p99_ms = percentile(sorted, 99);
    report.max_ms = sorted.length ? sorted[sorted.length - 1]! : null;
    return report;
  };
  while (!o.signal?.aborted) {
    const now = performance.now();
    const elapsed = (now - started) / 1000;
    if (elapsed >= o.durationSeconds) break;
    const due = Math.floor(elapsed * o.rps) - report.sent;
    for (let k = 0; k < due && inFlight < (o.maxInFlight ?? 256); k++) {
      const p = sendOne(report.sent++);
      pending.add(p);
      void p.finally(() => pending.delete(p));
    }
    if (o.onProgress && now - lastProgress >= 1000) {
      lastProgress = now;
      o.onProgress({ ...finish() });
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  await Promise.all(pending);
  agent.destroy();
  return finish();
}
