import { Model } from '../../ml/model';
import type { KeyRing } from './auth';
import { instanceStatusKey, manifestKey, manifestSchema, type DeploymentManifest, type InstanceStatus, type ManifestModel } from './contract';
import type { Metrics } from './metrics';
import type { ObjectStore } from './storage';

/**
 * Follows the deployment manifest in storage and holds the model being served.
 * A new model is read, verified (Model.load checks the artifact's own seal, then
 * the seal must equal the manifest's sha256), warmed and only then swapped in by
 * one reference assignment: requests read `serving` once, so in-flight ones finish
 * on the old model. A refused model leaves the old one serving and is reported in
 * this instance's status object in storage, which the control plane reads.
 */
export type Serving = {
  model: Model;
  info: ManifestModel;
  loadedAt: string;
  labels: readonly string[];
  /** What responses say about the model, built once. */
  ref: { versionId: string; name: string; version: number };
};

type Log = { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };

export type HolderOptions = {
  store: ObjectStore;
  deployment: string;
  instanceId: string;
  url: string;
  serviceVersion: string;
  keys: KeyRing;
  metrics: Metrics;
  log: Log;
  pollMs: number;
  heartbeatMs?: number;
  clock?: () => number;
};

/** A failure worth retrying on the next poll (storage unreachable, artifact not there yet). */
class TransientError extends Error {}

const WARMUP_BASKETS = [
  { lines: [{ prod: 'WARMUP-1', quantity: 1, spend: 1 }], storeFormat: 'LS', hour: 12, weekday: 3 },
  { lines: [{ prod: 'WARMUP-2', p10: 'WARMUP', quantity: 2, spend: 3.5 }, { prod: 'WARMUP-3', quantity: 1, spend: 0.5 }], basketSize: 'S' },
];

export class ModelHolder {
  /** The verified model answering requests, or null (none deployed yet, or undeployed). */
  serving: Serving | null = null;
  /** Whether a valid manifest was applied, so the key list is known. */
  keysKnown = false;
  revision: number | null = null;
  state: InstanceStatus['state'] = 'waiting';
  lastError: InstanceStatus['lastError'] = null;

  private etag: string | null = null;
  private chain: Promise<void> = Promise.resolve();
  private statusChain: Promise<void> = Promise.resolve();
  private pollTimer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private stopped = false;
  private manifestMissingLogged = false;
  private readonly clock: () => number;
  private readonly startedAt: string;

  constructor(private readonly opts: HolderOptions) {
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
    // Keys first, whatever happens to the model: a revoked key must stop working within one poll.
    this.opts.keys.update(manifest.keys, this.clock());
    this.keysKnown = true;
    const want = manifest.model;
    const current = this.serving;
    if (want && !(current && current.info.versionId === want.versionId && current.info.sha256 === want.sha256)) {
      let next: Serving;
      try {
        next = await this.loadVerified(want);
      } catch (error) {
        const transient = error instanceof TransientError;
        // A refused artifact will not get better: do not retry this revision. A storage hiccup will: retry.
        if (!transient) {
          this.setRevision(manifest.revision);
          metrics.refusals.inc();
        } else {
          this.etag = null;
        }
        return this.fail((error as Error).message, want);
      }
      this.serving = next;
      metrics.swaps.inc();
      metrics.setModel(want);
      log.info({ versionId: want.versionId, version: want.version, sha256: want.sha256, revision: manifest.revision, previous: current?.info.versionId ?? null }, 'now serving model');
    } else if (want && current) {
      this.serving = { ...current, info: want };
    } else if (!want && current) {
      this.serving = null;
      metrics.setModel(null);
      log.warn({ revision: manifest.revision, previous: current.info.versionId }, 'the deployment was undeployed: no model is served');
    }
    this.setRevision(manifest.revision);
    this.state = this.serving ? 'serving' : 'waiting';
    this.lastError = null;
    await this.writeStatus();
  }

  private async loadVerified(want: ManifestModel): Promise<Serving> {
    const what = `model ${want.modelName} v${want.version} (${want.versionId})`;
    let bytes: Buffer | null;
    try {
      bytes = await this.opts.store.get(want.artifactKey);
    } catch (error) {
      throw new TransientError(`Could not read the artifact of ${what} at ${want.artifactKey}: ${(error as Error).message}`);
    }
    if (!bytes) throw new TransientError(`The artifact of ${what} does not exist: ${want.artifactKey} in ${this.opts.store.root}`);
    let model: Model;
    let doc: { sha256?: unknown };
    try {
      // Parsed once here so the seal can be compared; Model.load verifies the rest.
      doc = JSON.parse(bytes.toString('utf8'));
      model = Model.load(doc as Parameters<typeof Model.load>[0]);
    } catch (error) {
      const why = error instanceof SyntaxError ? `the file is not valid JSON (${error.message}); is it truncated?` : (error as Error).message;
      throw new Error(`Refused ${what}: ${why}`);
    }
    if (doc.sha256 !== want.sha256) {
      throw new Error(`Refused ${what}: the artifact's seal is ${String(doc.sha256)} but the manifest expects ${want.sha256} (a different model, or a stale manifest)`);
    }
    try {
      for (let i = 0; i < 3; i++) {
        for (const p of [...model.predictBaskets(WARMUP_BASKETS.slice(0, 1)), ...model.predictBaskets(WARMUP_BASKETS)]) {
          if (!Object.values(p.probabilities).every(Number.isFinite)) throw new Error('it predicts non-finite probabilities');
        }
      }
    } catch (error) {
      throw new Error(`Refused ${what}: the warm-up prediction failed: ${(error as Error).message}`);
    }
    return {
      model,
      info: want,
      loadedAt: new Date(this.clock()).toISOString(),
      labels: [...model.body.labels],
      ref: { versionId: want.versionId, name: want.modelName, version: want.version },
    };
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
