import 'server-only';
import { hashSecret } from '@/server/auth/secrets';
import type { StoragePort } from '@/server/adapters/storage/port';
import type { DbTx } from '@/server/db/client';
import { MANIFEST_FORMAT, MANIFEST_SCHEMA_VERSION, manifestKey, manifestSchema, type DeploymentManifest } from '@/inference/src/contract';
import { nowOf, type ServiceContext } from '../context';

/** Requests per second one key may send to one inference instance. */
export const KEY_RATE_LIMIT_PER_SECOND = 1000;
/** The control plane's own key (try-it panel, traffic replays) may send more. */
export const CONTROL_PLANE_RATE_LIMIT_PER_SECOND = 20_000;
export const CONTROL_PLANE_KEY_ID = 'control-plane';

/** A storage URI back to its key (artifacts are recorded as URIs in lineage). */
export function storageKeyOf(storage: StoragePort, uri: string): string {
  const base = storage.uri('x').slice(0, -1);
  if (!uri.startsWith(base)) throw new Error(`The artifact ${uri} is not in this installation's storage (${storage.root}).`);
  return decodeURIComponent(uri.slice(base.length));
}

/**
 * Write a deployment's manifest (ARCHITECTURE.md): its model and the hashes of the
 * keys allowed to predict. Called inside the transaction that changed the
 * deployment or the keys: the revision increment locks the deployment's row, so
 * concurrent publications are written in revision order, and a storage failure
 * rolls the change back instead of leaving database and manifest disagreeing.
 */
export async function publishManifest(tx: DbTx, ctx: Pick<ServiceContext, 'adapters' | 'now'>, deploymentId: string): Promise<DeploymentManifest> {
  const now = nowOf(ctx);
  const dep = await tx.deployment.update({
    where: { id: deploymentId },
    data: { revision: { increment: 1 } },
    select: { id: true, name: true, revision: true, currentModelVersion: { select: { id: true, modelName: true, version: true, algorithm: true, artifactUri: true, artifactSha256: true } } },
  });
  const keys = await tx.apiKey.findMany({
    where: { scopes: { has: 'predict' }, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }], owner: { isActive: true } },
    select: { id: true, name: true, prefix: true, secretHash: true, expiresAt: true },
    orderBy: { createdAt: 'asc' },
  });
  const m = dep.currentModelVersion;
  const storage = ctx.adapters.storage;
  const manifest = manifestSchema.parse({
    format: MANIFEST_FORMAT,
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    deployment: dep.name,
    revision: dep.revision,
    publishedAt: now.toISOString(),
    model: m ? { versionId: m.id, modelName: m.modelName, version: m.version, algorithm: m.algorithm, artifactKey: storageKeyOf(storage, m.artifactUri), artifactUri: m.artifactUri, sha256: m.artifactSha256 } : null,
    keys: [
      ...keys.map((k) => ({ id: k.id, name: k.name, prefix: k.prefix, sha256: k.secretHash, expiresAt: k.expiresAt?.toISOString() ?? null, rateLimitPerSecond: KEY_RATE_LIMIT_PER_SECOND })),
      ...(ctx.adapters.predictKey
        ? [{ id: CONTROL_PLANE_KEY_ID, name: 'control plane (try it, traffic)', prefix: ctx.adapters.predictKey.slice(0, 12), sha256: hashSecret(ctx.adapters.predictKey), expiresAt: null, rateLimitPerSecond: CONTROL_PLANE_RATE_LIMIT_PER_SECOND }]
        : []),
    ],
  });
  const stored = await storage.put(manifestKey(dep.name), JSON.stringify(manifest, null, 2), { contentType: 'application/json' });
  await tx.deployment.update({ where: { id: dep.id }, data: { manifestUri: storage.uri(stored.key) } });
  return manifest;
}

/**
 * Keys changed (created, revoked, owner deactivated): every deployment's manifest
 * gets the new key list, so a revoked key stops working within one poll of the
 * inference service.
 */
export async function republishAllManifests(tx: DbTx, ctx: Pick<ServiceContext, 'adapters' | 'now'>) {
  const deployments = await tx.deployment.findMany({ select: { id: true }, orderBy: { name: 'asc' } });
  for (const d of deployments) await publishManifest(tx, ctx, d.id);
  return deployments.length;
}
