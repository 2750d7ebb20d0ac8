import { LABELS } from '../../ml/core/labels';
import type { BasketRequest } from '../../ml/data/basket-schema';
import type { ProfileSummary } from './cpu-profile';
import { totalErrors, type WrkResult } from './wrk';

/** bench/inference.ts: the correctness check before load, the targets, and the printed report. */
export type CheckResult = { labels: (string | null)[]; accuracy: number; invalid: string[]; unauthenticatedStatus: number };

export type ServiceResult = {
  name: string;
  /** Which of the --repeat runs this was (1-based). */
  run: number;
  /** ours; the floor; the reference as the seed ran it; the reference with as many processes as ours. */
  role: 'ours' | 'floor' | 'reference' | 'reference-at-workers';
  workers: number;
  note: string;
  wrk: WrkResult;
  /** The same service at a fixed offered rate (--rate), after its saturation run. */
  atRate: WrkResult | null;
  check: CheckResult;
  /** Cores other processes kept busy on average during the measurement (the machine is shared); null without /proc. */
  otherCores: number | null;
  /** CPU seconds the service's processes used during the measurement. */
  cpuSeconds: number | null;
  readySeconds: number;
  /** When the measurement ran (monotonic µs), to cut a CPU profile to it. */
  window: { fromMicros: number; toMicros: number };
};

/** Each basket once, in order: a 200 with a known label and probabilities summing to 1; and a wrong key must get 401. */
export async function checkPredictions(baseUrl: string, secret: string, set: { basket: BasketRequest; label: string }[]): Promise<CheckResult> {
  const labels: (string | null)[] = [];
  const invalid: string[] = [];
  let correct = 0;
  for (const [i, { basket, label }] of set.entries()) {
    const response = await fetch(`${baseUrl}/v1/predict`, { method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }, body: JSON.stringify({ basket }) });
    const text = await response.text();
    let answer: { requestId?: unknown; prediction?: { label?: unknown; probabilities?: Record<string, unknown> } } = {};
    try {
      answer = JSON.parse(text);
    } catch {
      // reported below
    }
    const p = answer.prediction;
    const probabilities = LABELS.map((l) => p?.probabilities?.[l]);
    const sum = probabilities.reduce<number>((s, v) => s + (typeof v === 'number' ? v : NaN), 0);
    const ok = response.status === 200 && typeof answer.requestId === 'string' && typeof p?.label === 'string' && (LABELS as readonly string[]).includes(p.label) && Math.abs(sum - 1) < 1e-3;
    if (!ok) invalid.push(`basket #${i} (${basket.basketId}): ${response.status} ${text.slice(0, 200)}`);
    labels.push(ok ? (p!.label as string) : null);
    if (ok && p!.label === label) correct++;
  }
  const wrongKey = await fetch(`${baseUrl}/v1/predict`, { method: 'POST', headers: { authorization: `Bearer psk_${'x'.repeat(43)}`, 'content-type': 'application/json' }, body: JSON.stringify({ basket: set[0]!.basket }) });
  await wrongKey.text();
  if (wrongKey.status !== 401) invalid.push(`a wrong API key got ${wrongKey.status}, not 401`);
  return { labels, accuracy: correct / set.length, invalid, unauthenticatedStatus: wrongKey.status };
}

const rps = (s: ServiceResult) => s.wrk.requests / s.wrk.durationSeconds;

export type Target = { target: string; service: string; value: string; met: boolean; reliable: boolean };

/** Other processes kept more than this many cores busy during a measurement: its numbers, and ratios with it, are not to be trusted. */
export const DISTURBED_CORES = 0.25;
const isDisturbed = (s: ServiceResult) => (s.otherCores ?? 0) > DISTURBED_CORES;

export function evaluateTargets(ours: ServiceResult, reference: ServiceResult): Target[] {
  const ratio = rps(ours) / rps(reference);
  const both = !isDisturbed(ours) && !isDisturbed(reference);
  const targets: Target[] = [
    { target: '≥ 10× the reference’s requests/s', service: ours.name, value: `${ratio.toFixed(1)}×`, met: ratio >= 10, reliable: both },
    { target: 'p99 ≤ 10 ms', service: ours.name, value: `${ours.wrk.latencyMs.p99.toFixed(2)} ms`, met: ours.wrk.latencyMs.p99 <= 10, reliable: !isDisturbed(ours) },
    { target: 'zero errors', service: ours.name, value: String(totalErrors(ours.wrk)), met: totalErrors(ours.wrk) === 0, reliable: true },
  ];
  for (const s of [ours, reference]) {
    targets.push(
      { target: 'seed floor: p95 < 200 ms', service: s.name, value: `${s.wrk.latencyMs.p95.toFixed(2)} ms`, met: s.wrk.latencyMs.p95 < 200, reliable: !isDisturbed(s) },
      { target: 'seed floor: ≥ 100 requests/s', service: s.name, value: Math.round(rps(s)).toLocaleString('en-US'), met: rps(s) >= 100, reliable: !isDisturbed(s) },
      { target: 'seed floor: zero errors', service: s.name, value: String(totalErrors(s.wrk)), met: totalErrors(s.wrk) === 0, reliable: true },
    );
  }
  return targets;
}

type Report = {
  date: string;
  command: string;
  machine: Record<string, string | number>;
  settings: { durationSeconds: number; connections: number; wrkThreads: number; warmupSeconds: number; referenceWorkers: number; rate: number | null; bodies: number; meanLinesPerBasket: number; meanBodyBytes: number };
  data: { source: string; baskets: number; trainWeeks: number[]; testWeeks: number[]; trainBaskets: number; testBaskets: number };
  models: { ours: { trees: number; features: number; artifactMb: number }; reference: { trees: number; depth: unknown; features: unknown; trainAccuracy: unknown } };
  correctness: { baskets: number; agreement: number; oursAccuracy: number; referenceAccuracy: number };
  services: ServiceResult[];
  allRuns: { name: string; run: number; requestsPerSecond: number; p99Ms: number; otherCores: number | null }[][];
  ratio: number;
  ratioAtWorkers: { workers: number; ratio: number } | null;
  cpuRatio: number | null;
  targets: Target[];
  profile: ProfileSummary | null;
};

const ms = (v: number) => v.toFixed(2);
const pct = (v: number) => `${(100 * v).toFixed(1)} %`;

export function printReport(r: Report) {
  const m = r.machine;
  console.log(`\n${r.command}\n${r.date.slice(0, 16).replace('T', ' ')} UTC · ${m.cpus} cores (${m.cpuModel}), ${m.memoryGb} GB · Node ${m.node} · ${m.python}`);
  console.log(`Data: ${r.data.source}; ${r.data.baskets.toLocaleString('en-US')} baskets, trained on weeks ${r.data.trainWeeks.join('–')} (${r.data.trainBaskets.toLocaleString('en-US')} labelled), requests from held-out weeks ${r.data.testWeeks.join('–')}`);
  console.log(`Models: ours GBDT ${r.models.ours.trees} trees, ${r.models.ours.features} features (${r.models.ours.artifactMb.toFixed(1)} MB artifact); reference XGBoost ${r.models.reference.trees} trees, depth ${String(r.models.reference.depth)}, ${String(r.models.reference.features)} features`);
  console.log(`Load: wrk -t${r.settings.wrkThreads} -c${r.settings.connections}, ${r.settings.warmupSeconds} s warm-up then ${r.settings.durationSeconds} s per service, one after the other; ${r.settings.bodies} distinct held-out baskets (${r.settings.meanLinesPerBasket.toFixed(1)} lines, ${Math.round(r.settings.meanBodyBytes)} bytes of JSON on average), one per request\n`);
  console.log('| service | requests/s | p50 ms | p95 ms | p99 ms | max ms | errors | service CPU ms/request | wrk CPU cores | other processes’ CPU cores |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const s of r.services) {
    const l = s.wrk.latencyMs;
    const e = s.wrk.errors;
    const errors = totalErrors(s.wrk) ? `${totalErrors(s.wrk)} (connect ${e.connect}, read ${e.read}, write ${e.write}, timeout ${e.timeout}, status ${e.status})` : '0';
    const cpu = s.cpuSeconds === null ? 'n/a' : ((1000 * s.cpuSeconds) / s.wrk.requests).toFixed(3);
    const cores = (v: number | null) => (v === null ? 'n/a' : v.toFixed(2));
    console.log(`| ${s.name} | ${Math.round(s.wrk.requests / s.wrk.durationSeconds).toLocaleString('en-US')} | ${ms(l.p50)} | ${ms(l.p95)} | ${ms(l.p99)} | ${ms(l.max)} | ${errors} | ${cpu} | ${cores(s.wrk.wrkCpuSeconds === null ? null : s.wrk.wrkCpuSeconds / s.wrk.durationSeconds)} | ${cores(s.otherCores)} |`);
  }
  const paced = r.services.filter((s) => s.atRate);
  if (paced.length) {
    console.log(`\nAt a fixed offered rate (about ${r.settings.rate} requests/s over ${r.settings.connections} connections, paced by wrk's delay(); tails are optimistic):\n`);
    console.log('| service | requests/s | p50 ms | p95 ms | p99 ms | max ms | errors |');
    console.log('|---|---:|---:|---:|---:|---:|---:|');
    for (const s of paced) {
      const w = s.atRate!;
      console.log(`| ${s.name} | ${Math.round(w.requests / w.durationSeconds).toLocaleString('en-US')} | ${ms(w.latencyMs.p50)} | ${ms(w.latencyMs.p95)} | ${ms(w.latencyMs.p99)} | ${ms(w.latencyMs.max)} | ${totalErrors(w)} |`);
    }
  }
  if (r.allRuns[0]!.length > 1) {
    console.log(`\nEach row above is the median (by requests/s) of that service's least-disturbed runs out of ${r.allRuns[0]!.length}; all runs (requests/s / p99 / other processes' cores):`);
    for (const rs of r.allRuns) console.log(`  ${rs[0]!.name}: ${rs.map((x) => `${Math.round(x.requestsPerSecond).toLocaleString('en-US')} / ${ms(x.p99Ms)} ms / ${x.otherCores === null ? 'n/a' : x.otherCores.toFixed(2)}`).join(' · ')}`);
  }
  console.log(`\nours / reference as the seed ran it: ${r.ratio.toFixed(1)}× the requests/s${r.cpuRatio ? `, ${r.cpuRatio.toFixed(1)}× the requests per CPU-second (less sensitive to other load)` : ''}`);
  if (r.ratioAtWorkers) console.log(`ours / reference with ${r.ratioAtWorkers.workers} uvicorn workers (as many processes as ours): ${r.ratioAtWorkers.ratio.toFixed(1)}× the requests/s`);
  for (const s of r.services) console.log(`  ${s.name}: ${s.note}`);
  console.log(`\nSame ${r.correctness.baskets} held-out baskets, before load: the two models agree on ${pct(r.correctness.agreement)}; accuracy ours ${pct(r.correctness.oursAccuracy)}, reference ${pct(r.correctness.referenceAccuracy)} (training accuracy of the reference ${pct(Number(r.models.reference.trainAccuracy))}); a wrong key gets 401 from both.\n`);
  console.log('| target | service | measured | met |');
  console.log('|---|---|---:|---|');
  for (const t of r.targets) console.log(`| ${t.target} | ${t.service} | ${t.value} | ${t.met ? 'met ✓' : 'NOT MET ✗'}${t.reliable ? '' : ' (disturbed run: unreliable)'} |`);
  if (r.profile) {
    console.log(`\nCPU profile of ours during the measurement, shares of busy time (${r.profile.seconds.toFixed(0)} s of samples; ${r.profile.file}):`);
    for (const a of r.profile.areas.slice(0, 10)) console.log(`  ${pct(a.share).padStart(7)}  ${a.area}`);
    console.log('top functions by self time:');
    for (const f of r.profile.functions) console.log(`  ${pct(f.share).padStart(7)}  ${f.name}  ${f.where}`);
  }
  const busy = r.services.filter(isDisturbed);
  if (busy.length) {
    console.log(`\nWarning: other processes kept more than ${DISTURBED_CORES} of the ${m.cpus} cores busy while ${busy.map((s) => s.name).join(' and ')} ${busy.length > 1 ? 'were' : 'was'} measured (last column of the first table).`);
    console.log('Those numbers are lower bounds, and ratios involving them mean little. Measure again on a quiet machine, or with --repeat 3.');
  }
}
