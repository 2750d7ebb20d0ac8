import 'server-only';
import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';

/**
 * The supervisor's child processes (web, worker, inference): output prefixed with
 * the child's name, restarts with back-off after a crash, and an orderly stop.
 * Each child gets an IPC channel so it can exit if the supervisor dies.
 */
export type ChildSpec = { name: string; command: string; args: string[]; env: NodeJS.ProcessEnv; cwd: string; color: number };

const MAX_RESTARTS_PER_MINUTE = 5;

export class ManagedChild {
  private process: ChildProcess | null = null;
  private stopping = false;
  private crashes: number[] = [];
  private exited: Promise<void> = Promise.resolve();

  constructor(private readonly spec: ChildSpec, private readonly onGiveUp: (name: string) => void) {}

  private log(line: string) {
    process.stdout.write(`\x1b[${this.spec.color}m[${this.spec.name}]\x1b[0m ${line}\n`);
  }

  start() {
    const child = spawn(this.spec.command, this.spec.args, { cwd: this.spec.cwd, env: this.spec.env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    this.process = child;
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) readline.createInterface({ input: stream }).on('line', (line) => this.log(line));
    }
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.process = null;
        resolve();
        if (this.stopping) return;
        this.log(`exited unexpectedly (${signal ?? `code ${code}`})`);
        this.restartLater();
      });
    });
    child.on('error', (error) => this.log(`could not start: ${error.message}`));
  }

  private restartLater() {
    const now = Date.now();
    this.crashes = [...this.crashes.filter((t) => now - t < 60_000), now];
    if (this.crashes.length > MAX_RESTARTS_PER_MINUTE) {
      this.log(`crashed ${this.crashes.length} times in a minute; giving up`);
      this.onGiveUp(this.spec.name);
      return;
    }
    const delay = Math.min(30_000, 1000 * 2 ** (this.crashes.length - 1));
    this.log(`restarting in ${Math.round(delay / 1000)} s`);
    setTimeout(() => {
      if (!this.stopping) this.start();
    }, delay).unref();
  }

  /** SIGTERM, then SIGKILL after the grace period. */
  async stop(graceMs = 10_000) {
    this.stopping = true;
    const child = this.process;
    if (!child) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
