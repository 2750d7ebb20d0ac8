import { Model } from '../../ml/model';
import type { KeyRing } from './auth';
import type { DeploymentManifest, ManifestModel } from './contract';
import type { ObjectStore } from './storage';

/**
 * The model one serving process answers with, and its API keys. A manifest is
 * applied in two steps: prepare() takes the keys at once and reads, verifies
 * (Model.load checks the artifact's own seal, then the seal must equal the
 * manifest's sha256) and warms the new model aside; commit() swaps it in by one
 * reference assignment, abort() drops it. Requests read `serving` once, so
 * in-flight ones finish on the old model. One process commits right after
 * preparing; a cluster's primary commits only once every worker has prepared
 * (cluster-group.ts), so all workers swap or none does.
 */
export type Serving = {
  model: Model;
  info: ManifestModel;
  loadedAt: string;
  labels: readonly string[];
  /** What responses say about the model, built once (and as JSON). */
  ref: { versionId: string; name: string; version: number };
  refJson: string;
};

/** What a commit left serving, as the instance status reports it. */
export type ServingInfo = { info: ManifestModel; loadedAt: string };

export type PrepareResult = { ok: true } | { ok: false; transient: boolean; message: string };
export type CommitResult = { serving: ServingInfo | null; swapped: boolean };

export type HolderOptions = {
  store: ObjectStore;
  keys: KeyRing;
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

  private pending: { next: Serving | null; swapped: boolean } | null = null;
  private readonly clock: () => number;

  constructor(private readonly opts: HolderOptions) {
    this.clock = opts.clock ?? Date.now;
  }

  /** Takes the manifest's keys now, whatever happens to the model (a revoked key must stop working within one poll), and readies its model. */
  async prepare(manifest: DeploymentManifest): Promise<PrepareResult> {
    this.opts.keys.update(manifest.keys, this.clock());
    this.keysKnown = true;
    const want = manifest.model;
    const current = this.serving;
    this.pending = null;
    if (!want) {
      this.pending = { next: null, swapped: false };
    } else if (current && current.info.versionId === want.versionId && current.info.sha256 === want.sha256) {
      this.pending = { next: { ...current, info: want }, swapped: false };
    } else {
      try {
        this.pending = { next: await this.loadVerified(want), swapped: true };
      } catch (error) {
        return { ok: false, transient: error instanceof TransientError, message: (error as Error).message };
      }
    }
    return { ok: true };
  }

  /** Serves what the last successful prepare() readied. */
  commit(): CommitResult {
    const pending = this.pending;
    if (!pending) throw new Error('commit() without a successful prepare()');
    this.pending = null;
    this.serving = pending.next;
    const s = this.serving;
    return { serving: s && { info: s.info, loadedAt: s.loadedAt }, swapped: pending.swapped };
  }

  abort(): void {
    this.pending = null;
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
      refJson: JSON.stringify({ versionId: want.versionId, name: want.modelName, version: want.version }),
    };
  }
}

/** One process: prepare and commit at once. */
export function applyLocally(holder: ModelHolder): (manifest: DeploymentManifest) => Promise<ApplyOutcome> {
  return async (manifest) => {
    const prepared = await holder.prepare(manifest);
    return prepared.ok ? { ok: true, ...holder.commit() } : prepared;
  };
}

/** How applying a manifest to the instance (one process, or every worker of a cluster) went. */
export type ApplyOutcome = ({ ok: true } & CommitResult) | { ok: false; transient: boolean; message: string };
