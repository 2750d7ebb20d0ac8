import { instanceStatusKey, manifestKey, manifestSchema, type DeploymentManifest, type InstanceStatus, type ManifestModel } from './contract';
import type { InstanceMetrics } from './metrics';
import type { ApplyOutcome, ServingInfo } from './model-holder';
import type { ObjectStore } from './storage';

/**
 * Follows the deployment manifest in storage for the whole instance: polls it,
 * hands each new revision to `apply` (one process's ModelHolder, or every worker
 * of a cluster through its primary), and reports the outcome in this instance's
 * status object in storage, which the control plane reads — a refused model
 * leaves the old one serving and is reported there. One watcher per instance,
 * so the Deployments page lists the instance once and its metrics count each
 * swap once.
 */
type Log = { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };

/** What /readyz tells about the instance beside the model a process serves. */
export type InstanceView = { state: InstanceStatus['state']; lastError: InstanceStatus['lastError']; revision: number | null };

export type WatcherOptions = {
  store: ObjectStore;
  deployment: string;
  instanceId: string;
  url: string;
  serviceVersion: string;
  metrics: InstanceMetrics;
  log: Log;
  pollMs: number;
  heartbeatMs?: number;
  clock?: () => number;
  apply(manifest: DeploymentManifest): Promise<ApplyOutcome>;
  /** Called whenever the view changes (a cluster's primary passes it on to its workers). */
  onView?(view: InstanceView): void;
};

export class DeploymentWatcher implements InstanceView {
  revision: number | null = null;
  state: InstanceStatus['state'] = 'waiting';
  lastError: InstanceStatus['lastError'] = null;
  /** What the instance serves, as the last successful apply reported it. */
  serving: ServingInfo | null = null;

  private etag: string | null = null;
  private chain: Promise<void> = Promise.resolve();
  private statusChain: Promise<void> = Promise.resolve();
  private pollTimer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private stopped = false;
  private manifestMissingLogged = false;
  private readonly clock: () => number;
  private readonly startedAt: string;

  constructor(private readonly opts: WatcherOptions) {
    this.clock = opts.clock ?? Date.now;
    this.startedAt = new Date(this.clock()).toISOString();
  }

  /** Reports in, applies the current manifest, then polls and sends heartbeats until stop(). */
  async start(): Promise<void> {
    await this.writeStatus();
    await this.reload();
    if (this.stopped) return;
    const schedule = () => {
      if (this.stopped) return;
      this.pollTimer = setTimeout(() => void this.enqueue(false).finally(schedule), this.opts.pollMs);
      this.pollTimer.unref();
    };
    schedule();
    this.heartbeat = setInterval(() => void this.writeStatus(), this.opts.heartbeatMs ?? 30_000);
    this.heartbeat.unref();
  }

  /** Reads and applies the manifest now (whatever its version tag), after any poll in progress; resolves once the status is written. */
  async reload(): Promise<void> {
    await this.enqueue(true);
    await this.statusChain;
  }

  /** Polls run one at a time; a bug in one is logged and must not stop the next. */
  private enqueue(force: boolean): Promise<void> {
    this.chain = this.chain
      .then(() => this.poll(force))
      .catch((error) => this.opts.log.error({ err: error }, 'unexpected error while applying the deployment manifest'));
    return this.chain;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    await this.chain;
    await this.writeStatus();
  }

  /** The last status written (or about to be): what the control plane sees. */
  status(): InstanceStatus {
    const s = this.serving;
    return {
      instanceId: this.opts.instanceId,
      deployment: this.opts.deployment,
      url: this.opts.url,
      serviceVersion: this.opts.serviceVersion,
      startedAt: this.startedAt,
      reportedAt: new Date(this.clock()).toISOString(),
      state: this.state,
      manifestRevision: this.revision,
      model: s ? { versionId: s.info.versionId, version: s.info.version, sha256: s.info.sha256, loadedAt: s.loadedAt } : null,
      lastError: this.lastError,
    };
  }

  /** Status writes are queued so an older status never lands after a newer one. */
  writeStatus(): Promise<void> {
    this.opts.onView?.({ state: this.state, lastError: this.lastError, revision: this.revision });
    this.statusChain = this.statusChain.then(async () => {
      const key = instanceStatusKey(this.opts.deployment, this.opts.instanceId);
      try {
        await this.opts.store.put(key, JSON.stringify(this.status(), null, 2), 'application/json');
      } catch (error) {
        this.opts.log.error({ err: error, key }, 'could not write the instance status to storage');
      }
    });
    return this.statusChain;
  }

  private async poll(force: boolean): Promise<void> {
    if (this.stopped && !force) return;
    const key = manifestKey(this.opts.deployment);
    let found: Awaited<ReturnType<ObjectStore['getIfChanged']>>;
    try {
      found = await this.opts.store.getIfChanged(key, force ? null : this.etag);
    } catch (error) {
      return this.fail(`Could not read the deployment manifest ${key} from ${this.opts.store.root}: ${(error as Error).message}`, null);
    }
    if (found === 'unchanged') return;
    if (found === null) {
      // Nothing published yet (or it was removed): keep whatever is serving, say it once.
      if (!this.manifestMissingLogged) this.opts.log.info({ key, root: this.opts.store.root }, 'no deployment manifest in storage yet');
      this.manifestMissingLogged = true;
      this.etag = null;
      return;
    }
    this.manifestMissingLogged = false;
    this.etag = found.etag;
    const manifest = this.parseManifest(found.body, key);
    if (typeof manifest === 'string') return this.fail(manifest, null);
    if (this.revision !== null && manifest.revision <= this.revision) return;
    await this.apply(manifest);
  }

  private parseManifest(body: Buffer, key: string): DeploymentManifest | string {
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch (error) {
      return `The deployment manifest ${key} is not valid JSON (${(error as Error).message}); still serving the previous model`;
    }
    const parsed = manifestSchema.safeParse(json);
    if (!parsed.success) {
      const problems = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(document)'}: ${i.message}`);
      return `The deployment manifest ${key} is invalid — ${problems.join('; ')}; still serving the previous model`;
    }
    if (parsed.data.deployment !== this.opts.deployment) {
      return `The deployment manifest ${key} is for deployment "${parsed.data.deployment}", not "${this.opts.deployment}"; ignored`;
    }
    return parsed.data;
  }

  private async apply(manifest: DeploymentManifest): Promise<void> {
    const { metrics, log } = this.opts;
    const previous = this.serving;
    const outcome = await this.opts.apply(manifest);
    if (!outcome.ok) {
      // A refused artifact will not get better: do not retry this revision. A storage hiccup will: retry.
      if (!outcome.transient) {
        this.setRevision(manifest.revision);
        metrics.refusals.inc();
      } else {
        this.etag = null;
      }
      return this.fail(outcome.message, manifest.model);
    }
    this.serving = outcome.serving;
    const want = outcome.serving?.info ?? null;
    if (outcome.swapped && want) {
      metrics.swaps.inc();
      metrics.setModel(want);
      log.info({ versionId: want.versionId, version: want.version, sha256: want.sha256, revision: manifest.revision, previous: previous?.info.versionId ?? null }, 'now serving model');
    } else if (!want && previous) {
      metrics.setModel(null);
      log.warn({ revision: manifest.revision, previous: previous.info.versionId }, 'the deployment was undeployed: no model is served');
    }
    this.setRevision(manifest.revision);
    this.state = this.serving ? 'serving' : 'waiting';
    this.lastError = null;
    await this.writeStatus();
  }

  private setRevision(revision: number) {
    this.revision = revision;
    this.opts.metrics.setManifestRevision(revision);
  }

  private async fail(message: string, model: ManifestModel | null): Promise<void> {
    const unchanged = this.state === 'error' && this.lastError?.message === message;
    this.state = 'error';
    this.lastError = { at: new Date(this.clock()).toISOString(), message, versionId: model?.versionId ?? null, sha256: model?.sha256 ?? null };
    // A failure repeated every poll (storage down) is logged and reported once, until it changes.
    if (unchanged) return;
    this.opts.log.warn({ versionId: model?.versionId, sha256: model?.sha256 }, message);
    await this.writeStatus();
  }
}
