import { z } from 'zod';

/**
 * The contract between the control plane and the inference service. Storage is
 * the only coupling (ARCHITECTURE.md): the control plane writes a deployment's
 * manifest, the service writes back what it serves (its status) and what it saw
 * (prediction and feedback records). Both sides import these schemas, so a change
 * here is a change to both.
 */

export const MANIFEST_FORMAT = 'pricesense-deployment';
export const MANIFEST_SCHEMA_VERSION = 1;

/** Deployment names: lower-case words joined by dashes ("production", "staging", "eu-canary"). */
export const DEPLOYMENT_NAME = /^[a-z][a-z0-9-]{0,39}$/;

export const manifestKey = (deployment: string) => `deployments/${deployment}/current.json`;
export const instanceStatusKey = (deployment: string, instanceId: string) => `deployments/${deployment}/instances/${instanceId}.json`;
export const instanceStatusPrefix = (deployment: string) => `deployments/${deployment}/instances/`;
/**
 * Telemetry batches: one JSON-lines object per flush, partitioned by UTC hour. The
 * boot id (one per process) keeps an instance restarted under a fixed id from
 * overwriting its earlier files, whose sequence numbers it starts again.
 */
export const telemetryKey = (deployment: string, at: Date, instanceId: string, bootId: string, seq: number) => {
  const iso = at.toISOString();
  return `telemetry/${deployment}/${iso.slice(0, 10)}/${iso.slice(11, 13)}/${instanceId}-${bootId}-${String(seq).padStart(8, '0')}.jsonl`;
};
export const telemetryPrefix = (deployment: string) => `telemetry/${deployment}/`;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be a 64-character lower-case hex sha256');

export const manifestKeySchema = z.object({
  /** ApiKey id in the control plane, used to label rate limits and records. */
  id: z.string().min(1),
  name: z.string(),
  prefix: z.string(),
  /** sha256 (hex) of the secret; the secret itself never leaves the control plane. */
  sha256: sha256Hex,
  expiresAt: z.iso.datetime().nullable(),
  /** Requests per second this key may make to one instance (token bucket, burst = one second's worth). */
  rateLimitPerSecond: z.number().int().positive(),
});

export const manifestModelSchema = z.object({
  versionId: z.string().min(1),
  modelName: z.string().min(1),
  version: z.number().int().positive(),
  algorithm: z.string(),
  /** Storage key of the artifact, relative to the storage root both sides share. */
  artifactKey: z.string().min(1),
  /** Full URI, for people (file:// or s3://). */
  artifactUri: z.string(),
  /** The artifact's seal (ml/ Model.toArtifact): the service refuses an artifact whose seal differs. */
  sha256: sha256Hex,
});

export const manifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  schemaVersion: z.literal(MANIFEST_SCHEMA_VERSION),
  deployment: z.string().regex(DEPLOYMENT_NAME),
  /** Increases with every publication (deploy, rollback, key change); the service ignores older revisions. */
  revision: z.number().int().nonnegative(),
  publishedAt: z.iso.datetime(),
  /** null: the deployment exists but serves nothing (undeployed). */
  model: manifestModelSchema.nullable(),
  /** Keys allowed to call /v1/predict and /v1/feedback: active, unexpired keys with the `predict` scope. */
  keys: z.array(manifestKeySchema),
});

export type DeploymentManifest = z.infer<typeof manifestSchema>;
export type ManifestModel = z.infer<typeof manifestModelSchema>;
export type ManifestKey = z.infer<typeof manifestKeySchema>;

export const instanceStatusSchema = z.object({
  instanceId: z.string(),
  deployment: z.string(),
  /** Where this instance can be reached, as it was told (INFERENCE_PUBLIC_URL) or guessed. */
  url: z.string(),
  serviceVersion: z.string(),
  startedAt: z.iso.datetime(),
  reportedAt: z.iso.datetime(),
  /** waiting: no model yet; serving: a verified model answers; error: the last manifest could not be applied. */
  state: z.enum(['waiting', 'serving', 'error']),
  manifestRevision: z.number().int().nullable(),
  model: z.object({ versionId: z.string(), version: z.number().int(), sha256: z.string(), loadedAt: z.iso.datetime() }).nullable(),
  lastError: z.object({ at: z.iso.datetime(), message: z.string(), versionId: z.string().nullable(), sha256: z.string().nullable() }).nullable(),
});
export type InstanceStatus = z.infer<typeof instanceStatusSchema>;

/** One line of a telemetry batch. */
export const telemetryRecordSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('prediction'),
    requestId: z.string(),
    /** Index within a batch request (0 for a single basket). */
    item: z.number().int().nonnegative(),
    at: z.iso.datetime(),
    modelVersionId: z.string(),
    keyId: z.string(),
    label: z.string(),
    probabilities: z.record(z.string(), z.number()),
    latencyMs: z.number(),
    /** Compact basket summary for drift: lines, spend, quantity and context codes. */
    features: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
  }),
  z.object({
    type: z.literal('feedback'),
    requestId: z.string(),
    item: z.number().int().nonnegative(),
    at: z.iso.datetime(),
    keyId: z.string(),
    trueLabel: z.string(),
  }),
]);
export type TelemetryRecord = z.infer<typeof telemetryRecordSchema>;
