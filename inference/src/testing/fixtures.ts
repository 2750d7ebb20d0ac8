import { createHash, randomBytes } from 'node:crypto';
import { syntheticBaskets } from '../../../test/synthetic-baskets';
import { tableFromBaskets, type BasketInput } from '../../../ml/data/basket-table';
import { Model } from '../../../ml/model';
import { manifestKey, MANIFEST_FORMAT, MANIFEST_SCHEMA_VERSION, type DeploymentManifest, type ManifestKey, type ManifestModel } from '../contract';
import type { ObjectStore } from '../storage';

/**
 * Test helpers: small real models, API keys and manifests published the way the
 * control plane does (artifact first, then the manifest).
 */
export type Published = { model: Model; text: string; sha256: string; versionId: string; version: number; artifactKey: string };

const trained = new Map<string, Promise<Model>>();

/** A small real model (trained once per test file and kind). */
export function trainModel(kind: 'logistic_regression' | 'gbdt' = 'logistic_regression', seed = 1): Promise<Model> {
  const id = `${kind}-${seed}`;
  let model = trained.get(id);
  if (!model) {
    const table = tableFromBaskets(syntheticBaskets({ baskets: 1500, seed }));
    model = Model.train(table, { algorithm: kind, params: kind === 'gbdt' ? { nEstimators: 10 } : { maxIter: 60 }, seed });
    trained.set(id, model);
  }
  return model;
}

/** Baskets as a client sends them: no label. */
export function requestBaskets(n: number, seed = 7): Omit<BasketInput, 'label'>[] {
  return syntheticBaskets({ baskets: n, seed }).map(({ label: _label, ...basket }) => basket);
}

export async function storeModel(store: ObjectStore, model: Model, version: number): Promise<Published> {
  const { text, sha256 } = model.toArtifact();
  const versionId = `mv_${version}_${sha256.slice(0, 8)}`;
  const artifactKey = `models/${versionId}/model.json`;
  await store.put(artifactKey, text);
  return { model, text, sha256, versionId, version, artifactKey };
}

export function apiKey(name: string, opts: { rateLimitPerSecond?: number; expiresAt?: string | null } = {}): { secret: string; key: ManifestKey; header: string } {
  const secret = `psk_${randomBytes(32).toString('base64url')}`;
  return {
    secret,
    header: `Bearer ${secret}`,
    key: {
      id: `key_${name}`, name, prefix: secret.slice(0, 12), sha256: createHash('sha256').update(secret).digest('hex'),
      expiresAt: opts.expiresAt ?? null, rateLimitPerSecond: opts.rateLimitPerSecond ?? 100_000,
    },
  };
}

export function manifest(revision: number, model: Published | null, keys: ManifestKey[], overrides: Partial<ManifestModel> = {}): DeploymentManifest {
  return {
    format: MANIFEST_FORMAT,
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    deployment: 'production',
    revision,
    publishedAt: new Date().toISOString(),
    model: model && {
      versionId: model.versionId, modelName: 'basket-price-sensitivity', version: model.version, algorithm: model.model.body.algorithm,
      artifactKey: model.artifactKey, artifactUri: `file:///${model.artifactKey}`, sha256: model.sha256, ...overrides,
    },
    keys,
  };
}

export async function publish(store: ObjectStore, doc: DeploymentManifest | string): Promise<void> {
  await store.put(manifestKey('production'), typeof doc === 'string' ? doc : JSON.stringify(doc));
}
