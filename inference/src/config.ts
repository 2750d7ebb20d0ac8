import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { DEPLOYMENT_NAME } from './contract';

/**
 * The service's settings, validated once at start-up from the environment. A bad
 * value stops the process with a message naming the variable (main.ts exits 1).
 * Nothing else reads process.env: buildApp() receives what it needs.
 */

const port = z.coerce.number({ error: 'must be a port number (1–65535)' }).int('must be a port number (1–65535)').min(1, 'must be a port number (1–65535)').max(65535, 'must be a port number (1–65535)');
const whole = (min: number, max: number, unit: string) =>
  z.coerce.number({ error: `must be a whole number of ${unit}` }).int(`must be a whole number of ${unit}`).min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);
const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' }).transform((v) => v === 'true' || v === '1' || v === 'yes');

export const configSchema = z.object({
  INFERENCE_PORT: port.default(8080),
  INFERENCE_HOST: z.string().min(1).default('127.0.0.1'),
  INFERENCE_DEPLOYMENT: z.string().regex(DEPLOYMENT_NAME, 'must be a deployment name: lower-case letters, digits and dashes, starting with a letter (e.g. production)').default('production'),
  INFERENCE_PUBLIC_URL: z.url({ error: 'must be a URL (e.g. http://10.0.0.5:8080)' }).optional(),
  INFERENCE_POLL_MS: whole(100, 3_600_000, 'milliseconds').default(2000),
  INFERENCE_MAX_BATCH: whole(1, 10_000, 'baskets').default(100),
  INFERENCE_BODY_LIMIT_BYTES: whole(1024, 100 * 1_048_576, 'bytes').default(1_048_576),
  INFERENCE_TELEMETRY_FLUSH_MS: whole(100, 3_600_000, 'milliseconds').default(5000),
  /** Serving processes: one per usable core by default ("auto"); 1 serves from the main process, no cluster. */
  INFERENCE_WORKERS: z.union([z.literal('auto'), whole(1, 64, 'processes')], { error: 'must be "auto" or a whole number of processes (1–64)' }).default('auto'),
  /** AWS mode: write CloudWatch Embedded Metric Format lines to stdout (see emf.ts). */
  INFERENCE_METRICS_EMF: bool.default(false),
  INFERENCE_METRICS_EMF_INTERVAL_MS: whole(1000, 3_600_000, 'milliseconds').default(60_000),
  INFERENCE_METRICS_NAMESPACE: z.string().regex(/^[^:][^:]{0,254}$/, 'must be a CloudWatch namespace: 1–255 characters, no colon').default('PriceSense/Inference'),
  INFERENCE_INSTANCE_ID: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'must be 1–100 letters, digits, dots, dashes or underscores').optional(),
  SERVICE_VERSION: z.string().min(1).default('dev'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MLOPS_DATA_DIR: z.string().min(1).default('.data'),
  STORAGE_BACKEND: z.enum(['local', 's3']).default('local'),
  STORAGE_DIR: z.string().min(1).optional(),
  S3_BUCKET: z.string().min(3).optional(),
  S3_PREFIX: z.string().default(''),
  S3_ENDPOINT: z.url().optional(),
  S3_FORCE_PATH_STYLE: bool.default(false),
  AWS_REGION: z.string().min(1).default('ap-southeast-1'),
});

export type StorageConfig =
  | { backend: 'local'; dir: string }
  | { backend: 's3'; bucket: string; prefix: string; region: string; endpoint?: string; forcePathStyle: boolean };

export type InferenceConfig = {
  port: number;
  host: string;
  deployment: string;
  publicUrl: string;
  pollMs: number;
  maxBatch: number;
  bodyLimitBytes: number;
  telemetryFlushMs: number;
  /** Serving processes (INFERENCE_WORKERS, "auto" resolved): 1 is one process, more a cluster of that many workers. */
  workers: number;
  /** null unless INFERENCE_METRICS_EMF=true. */
  emf: { intervalMs: number; namespace: string } | null;
  instanceId: string;
  serviceVersion: string;
  logLevel: z.infer<typeof configSchema>['LOG_LEVEL'];
  storage: StorageConfig;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid inference service configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function parseConfig(source: Record<string, string | undefined>, cpus: () => number = usableCpus): InferenceConfig {
  // Empty strings count as unset, as shells and .env files commonly write them.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = configSchema.safeParse(cleaned);
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => {
        const name = issue.path.join('.') || '(environment)';
        const value = cleaned[name];
        return `${name} ${issue.message}${value !== undefined ? ` (got "${value}")` : ''}`;
      });
  if (cleaned.STORAGE_BACKEND === 's3' && !cleaned.S3_BUCKET) problems.push('S3_BUCKET is required when STORAGE_BACKEND=s3');
  if (problems.length || !result.success) throw new ConfigError(problems);
  const env = result.data;
  const storage: StorageConfig =
    env.STORAGE_BACKEND === 's3'
      ? { backend: 's3', bucket: env.S3_BUCKET!, prefix: env.S3_PREFIX, region: env.AWS_REGION, endpoint: env.S3_ENDPOINT, forcePathStyle: env.S3_FORCE_PATH_STYLE }
      : { backend: 'local', dir: path.resolve(env.STORAGE_DIR ?? path.join(env.MLOPS_DATA_DIR, 'storage')) };
  return {
    port: env.INFERENCE_PORT,
    host: env.INFERENCE_HOST,
    deployment: env.INFERENCE_DEPLOYMENT,
    // A wildcard bind address is not reachable as such: report the machine's name instead.
    publicUrl: env.INFERENCE_PUBLIC_URL ?? `http://${env.INFERENCE_HOST === '0.0.0.0' || env.INFERENCE_HOST === '::' ? os.hostname() : env.INFERENCE_HOST}:${env.INFERENCE_PORT}`,
    pollMs: env.INFERENCE_POLL_MS,
    maxBatch: env.INFERENCE_MAX_BATCH,
    bodyLimitBytes: env.INFERENCE_BODY_LIMIT_BYTES,
    telemetryFlushMs: env.INFERENCE_TELEMETRY_FLUSH_MS,
    workers: env.INFERENCE_WORKERS === 'auto' ? cpus() : env.INFERENCE_WORKERS,
    emf: env.INFERENCE_METRICS_EMF ? { intervalMs: env.INFERENCE_METRICS_EMF_INTERVAL_MS, namespace: env.INFERENCE_METRICS_NAMESPACE } : null,
    instanceId: env.INFERENCE_INSTANCE_ID ?? defaultInstanceId(),
    serviceVersion: env.SERVICE_VERSION,
    logLevel: env.LOG_LEVEL,
    storage,
  };
}

/** hostname-pid-random: unique across replicas and restarts, and still says where it ran. */
export function defaultInstanceId(): string {
  const host = os.hostname().replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 60) || 'host';
  return `${host}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/**
 * Cores this process may use: the CPUs it may run on, capped by a container's CPU
 * limit (cgroup v2 cpu.max: "quota period"), where more processes than the
 * quota would only take turns.
 */
export function usableCpus(): number {
  const cores = os.availableParallelism();
  try {
    const [quota, period] = fs.readFileSync('/sys/fs/cgroup/cpu.max', 'utf8').trim().split(/\s+/);
    if (quota && quota !== 'max' && Number(period) > 0) return Math.max(1, Math.min(cores, Math.ceil(Number(quota) / Number(period))));
  } catch {
    // No cgroup v2 file (macOS, cgroup v1): the cores are all there is to go by.
  }
  return cores;
}
