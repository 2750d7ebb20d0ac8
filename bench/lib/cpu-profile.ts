import fs from 'node:fs';
import path from 'node:path';

/**
 * Where a Node process spent its CPU, from the `.cpuprofile` that `node
 * --cpu-prof` writes at exit: self time per function (and per source area), as
 * shares of the busy samples. Enough to say where a missed latency target goes.
 */
type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] };
type CpuProfile = { nodes: ProfileNode[]; samples?: number[]; timeDeltas?: number[]; startTime: number; endTime: number };

/** V8 stamps samples with the monotonic clock in µs, as process.hrtime does: a window from another process lines up. */
export const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);

export type ProfileSummary = {
  file: string;
  /** Seconds of samples summarised (the window, when one was given and the samples carry times). */
  seconds: number;
  /** Top functions by self time. */
  functions: { name: string; where: string; share: number }[];
  /** Self time grouped by area: our code (inference/, ml/), fastify, zod, node internals, GC… (idle time left out) */
  areas: { area: string; share: number }[];
};

function areaOf(url: string, name: string): string {
  if (name === '(garbage collector)') return 'garbage collector';
  if (name === '(program)') return 'V8 itself (program)';
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return `npm: ${match[1]}`;
  if (url.includes('/inference/src/')) return 'ours: inference/src';
  if (url.includes('/ml/')) return 'ours: ml/';
  if (url.startsWith('node:')) return 'node internals in JS (http, net, streams, events)';
  if (name.startsWith('RegExp:')) return 'regular expressions';
  if (!url) return 'native (syscalls such as writev, builtins)';
  return url;
}

/**
 * The main threads' profiles in `dir` — one per process, so a cluster's primary
 * and workers add up — limited to samples within `window` (monotonic µs) when given.
 */
export function summariseProfile(dir: string, window?: { fromMicros: number; toMicros: number }, top = 15): ProfileSummary | null {
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')) : [];
  if (!files.length) return null;
  // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main thread (1 is tsx's loader).
  const main = files.filter((f) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f)).sort();
  const hits = new Map<ProfileNode, number>();
  let seconds = 0;
  for (const name of main.length ? main : files) {
    const profile = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as CpuProfile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const hit = (id: number, n = 1) => {
      const node = byId.get(id);
      if (node) hits.set(node, (hits.get(node) ?? 0) + n);
    };
    if (profile.samples && profile.timeDeltas && window) {
      let t = profile.startTime;
      let first = Infinity;
      let last = -Infinity;
      profile.samples.forEach((id, i) => {
        t += profile.timeDeltas![i]!;
        if (t < window.fromMicros || t > window.toMicros) return;
        hit(id);
        first = Math.min(first, t);
        last = Math.max(last, t);
      });
      seconds = Math.max(seconds, Math.max(0, last - first) / 1e6);
    } else {
      seconds = Math.max(seconds, (profile.endTime - profile.startTime) / 1e6);
      if (profile.samples) for (const id of profile.samples) hit(id);
      else for (const n of profile.nodes) hit(n.id, n.hitCount ?? 0);
    }
  }
  const file = main.length > 1 ? `${main.length} processes' profiles in ${dir}` : path.join(dir, (main.length ? main : files)[0]!);
  let total = 0;
  const byFunction = new Map<string, { name: string; where: string; hits: number }>();
  const byArea = new Map<string, number>();
  for (const [node, h] of hits) {
    // Busy time only: a cluster's primary is idle nearly all the time, which says nothing about the cost of a request.
    if (node.callFrame.functionName === '(idle)') continue;
    total += h;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || '(anonymous)';
    const where = url ? `${url.replace(/^file:\/\/.*?\/(node_modules|inference|ml)\//, '$1/')}:${lineNumber + 1}` : '';
    const key = `${name}@${where}`;
    const entry = byFunction.get(key) ?? { name, where, hits: 0 };
    entry.hits += h;
    byFunction.set(key, entry);
    const area = areaOf(url, functionName);
    byArea.set(area, (byArea.get(area) ?? 0) + h);
  }
  const share = (h: number) => (total ? h / total : 0);
  return {
    file,
    seconds,
    functions: [...byFunction.values()].sort((a, b) => b.hits - a.hits).slice(0, top).map((f) => ({ name: f.name, where: f.where, share: share(f.hits) })),
    areas: [...byArea.entries()].sort((a, b) => b[1] - a[1]).map(([area, h]) => ({ area, share: share(h) })),
  };
}
