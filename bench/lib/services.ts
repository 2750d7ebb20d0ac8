import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

/**
 * Services a benchmark starts and must stop whatever happens: each runs in its
 * own process group (uvicorn's workers included), is ended with SIGTERM then
 * SIGKILL, and is killed synchronously if the bench exits, fails or is
 * interrupted. Only processes started here are ever signalled.
 */
export type Service = {
  name: string;
  pid: number;
  baseUrl: string;
  /** The service's last output lines, for error messages. */
  output(): string;
  hasExited(): boolean;
  /** SIGTERM to the process group, SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
};

const running = new Set<ChildProcess>();
const cleanups: (() => void)[] = [];

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // Already gone.
  }
}

/** Synchronous: runs from process 'exit' and signal handlers. */
function cleanUpNow() {
  for (const child of running) killGroup(child, 'SIGKILL');
  running.clear();
  for (const fn of cleanups.splice(0).reverse()) {
    try {
      fn();
    } catch {
      // Best effort while exiting.
    }
  }
}

let installed = false;
/** Kill every started service and run the registered cleanups on exit, Ctrl-C, SIGTERM or an uncaught error. */
export function installCleanup(cleanup?: () => void) {
  if (cleanup) cleanups.push(cleanup);
  if (installed) return;
  installed = true;
  process.on('exit', cleanUpNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      process.stderr.write(`\n${signal}: stopping the services and removing temporary files\n`);
      cleanUpNow();
      process.exit(130);
    });
  }
}

/** A port nobody listens on now (the kernel's choice), on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A child in its own process group, killed with the bench if the bench ends first. */
export function spawnTracked(command: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): ChildProcess {
  const child = spawn(command, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

export function startService(name: string, command: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; port: number }): Service {
  const child = spawnTracked(command, args, opts);
  let tail = '';
  // BENCH_SERVICE_LOG=FILE also appends every service's output there (e.g. with --node-flags=--trace-gc).
  const logFile = process.env.BENCH_SERVICE_LOG;
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
    if (logFile) fs.appendFileSync(logFile, chunk);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name,
    pid: child.pid!,
    baseUrl: `http://127.0.0.1:${opts.port}`,
    output: () => tail.trim(),
    hasExited: () => child.exitCode !== null || child.signalCode !== null,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return killGroup(child, 'SIGKILL');
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      killGroup(child, 'SIGKILL'); // workers left behind by a parent that exited first
    },
  };
}

/** Runs a command to its end in its own process group, killed if the bench exits first; resolves with its exit code and output. */
export function runTracked(command: string, args: string[], opts: { cwd?: string } = {}): Promise<{ code: number | null; output: string }> {
  const child = spawnTracked(command, args, opts);
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** Polls `path` until it answers 200; fails with the service's output if it exits or takes too long. */
export async function waitReady(service: Service, path: string, timeoutMs: number): Promise<number> {
  const started = performance.now();
  let last = '';
  while (performance.now() - started < timeoutMs) {
    try {
      const response = await fetch(service.baseUrl + path, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return performance.now() - started;
      last = `${response.status} ${(await response.text()).slice(0, 300)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    if (service.hasExited()) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${service.name} did not become ready on ${service.baseUrl}${path} (last answer: ${last}).\n--- its output ---\n${service.output()}`);
}

let ticksPerSecond: number | null = null;

const ticks = () => (ticksPerSecond ??= Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100);

/** CPU seconds (user + system) used so far by one process, from /proc; null when it is gone or without /proc. */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticks();
  } catch {
    return null;
  }
}

/** CPU seconds all cores have spent busy since boot (/proc/stat: everything but idle and iowait); null without /proc. */
export function machineBusySeconds(): number | null {
  try {
    const [, ...values] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already inside user).
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = values;
    return (user + nice + system + irq + softirq + steal) / ticks();
  } catch {
    return null;
  }
}

/** Below this many busy cores (everything but our own idle processes) the machine counts as quiet. */
export const QUIET_CORES = 0.2;

/** Waits until the machine's CPU is quiet for 2 s, at most `maxSeconds`; resolves with the last busy cores measured (null without /proc). */
export async function waitForQuiet(maxSeconds: number): Promise<number | null> {
  const deadline = performance.now() + maxSeconds * 1000;
  let busy: number | null = null;
  do {
    const before = machineBusySeconds();
    await new Promise((r) => setTimeout(r, 2000));
    const after = machineBusySeconds();
    if (before === null || after === null) return null;
    busy = (after - before) / 2;
  } while (busy >= QUIET_CORES && performance.now() < deadline);
  return busy;
}

/** CPU seconds (user + system) used so far by the live processes of a process group, from /proc; null without /proc. */
export function groupCpuSeconds(pgid: number): number | null {
  if (!fs.existsSync('/proc/self/stat')) return null;
  let total = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // Fields after the command name (which may hold spaces): state ppid pgrp … utime(14) stime(15).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid) total += Number(fields[11]) + Number(fields[12]);
  }
  return total / ticks();
}
