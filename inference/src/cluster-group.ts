import type { DeploymentManifest } from './contract';
import type { InstanceView } from './deployment-watcher';
import type { ApplyOutcome, CommitResult, PrepareResult } from './model-holder';

/**
 * A cluster's workers as one instance (used by its primary, cluster-primary.ts).
 * A manifest is applied to all of them in two phases: every worker prepares
 * (keys taken, new model read, verified and warmed aside); only if all succeed
 * do they all commit, else all abort — so the instance swaps as one, and a swap
 * any worker refused is reported as refused while the old model keeps serving
 * everywhere. A worker that joins (at start, or replacing one that died) gets
 * the instance's current state before it counts as a member. Applies and joins
 * run one at a time.
 */
export type Member = {
  id: number;
  prepare(manifest: DeploymentManifest): Promise<PrepareResult>;
  commit(): Promise<CommitResult>;
  abort(): Promise<void>;
  view(view: InstanceView): void;
};

type Log = { error(obj: object, msg: string): void };

export class WorkerGroup {
  private readonly members = new Map<number, Member>();
  private queue: Promise<unknown> = Promise.resolve();
  /** The manifest whose model every member serves (null: none yet). */
  private committed: DeploymentManifest | null = null;
  /** The latest manifest applied, refused or not: its keys hold everywhere (keys never wait for a model). */
  private latest: DeploymentManifest | null = null;
  private lastView: InstanceView = { state: 'waiting', lastError: null, revision: null };

  constructor(private readonly log: Log) {}

  get size(): number {
    return this.members.size;
  }

  apply(manifest: DeploymentManifest): Promise<ApplyOutcome> {
    return this.exclusive(() => this.applyNow(manifest));
  }

  /** Brings a new worker to the instance's state (model and keys), then counts it in. */
  join(member: Member): Promise<InstanceView> {
    return this.exclusive(async () => {
      if (this.latest) {
        const manifest = { ...(this.committed ?? { ...this.latest, model: null }), keys: this.latest.keys };
        const prepared = await member.prepare(manifest);
        if (prepared.ok) await member.commit();
        else {
          // The others serve this model; a worker that cannot is kept (it answers 503) and says why.
          await member.abort();
          this.log.error({ worker: member.id, reason: prepared.message }, 'a new worker could not load the model the instance serves');
        }
      }
      this.members.set(member.id, member);
      return this.lastView;
    });
  }

  leave(id: number): void {
    this.members.delete(id);
  }

  /** Passes the instance's view (/readyz) on to every member. */
  broadcastView(view: InstanceView): void {
    this.lastView = view;
    for (const m of this.members.values()) m.view(view);
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => {});
    return run;
  }

  private async applyNow(manifest: DeploymentManifest): Promise<ApplyOutcome> {
    this.latest = manifest;
    const members = [...this.members.values()];
    if (!members.length) return { ok: false, transient: true, message: 'No worker process is running to serve the deployment (they are being restarted)' };
    const prepared = await Promise.all(members.map((m) => m.prepare(manifest).catch((error: Error): PrepareResult => ({ ok: false, transient: true, message: `a worker process did not answer: ${error.message}` }))));
    const failed = prepared.filter((p) => !p.ok);
    if (failed.length) {
      await Promise.all(members.map((m) => m.abort().catch(() => {})));
      const refused = failed.find((p) => !p.transient) ?? failed[0]!;
      const some = failed.length < members.length ? ` (${failed.length} of ${members.length} worker processes failed; none swapped)` : '';
      return { ok: false, transient: !failed.some((p) => !p.transient), message: `${refused.message}${some}` };
    }
    // A worker that dies between prepare and commit is replaced, and its replacement joins with this manifest.
    const committed = (await Promise.all(members.map((m) => m.commit().catch(() => null)))).filter((c): c is CommitResult => c !== null);
    if (!committed.length) return { ok: false, transient: true, message: 'Every worker process exited while the new model was being swapped in' };
    this.committed = manifest;
    return { ok: true, ...committed[0]! };
  }
}
