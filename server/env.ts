import 'server-only';
import path from 'node:path';
import { z } from 'zod';

/**
 * Every setting the control plane reads from the environment, validated once at
 * start-up. A bad value stops the process with a message naming the variable.
 * Services never read process.env: they receive what they need from this config.
 */

const port = z.coerce.number({ error: 'must be a port number (1–65535)' }).int('must be a port number (1–65535)').min(1, 'must be a port number (1–65535)').max(65535, 'must be a port number (1–65535)');
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// connection URL')
      .optional(),
    MLOPS_DATA_DIR: z.string().min(1).default('.data'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: port.default(3000),
    INFERENCE_HOST: z.string().min(1).default('127.0.0.1'),
    INFERENCE_PORT: port.default(8080),
    /** Where the control plane reaches the inference service when no instance has reported its URL. */
    INFERENCE_URL: z.url().optional(),
    PUBLIC_URL: z.url().optional(),
    AUTH_SECRET: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -base64 32`)').optional(),
    MLOPS_ADMIN_EMAIL: z.email().optional(),
    MLOPS_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
    STORAGE_BACKEND: z.enum(['local', 's3']).default('local'),
    STORAGE_DIR: z.string().min(1).optional(),
    S3_BUCKET: z.string().min(3).optional(),
    S3_PREFIX: z.string().default(''),
    S3_ENDPOINT: z.url().optional(),
    S3_FORCE_PATH_STYLE: bool.default(false),
    AWS_REGION: z.string().min(1).default('ap-southeast-1'),
    /** Where runs train unless a launch says otherwise; sagemaker needs the SAGEMAKER_* settings and S3 storage. */
    TRAINING_BACKEND: z.enum(['local', 'sagemaker']).default('local'),
    SAGEMAKER_ROLE_ARN: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/\S+$/, 'must be an IAM role ARN (arn:aws:iam::<account id>:role/<name>)').optional(),
    TRAINER_IMAGE_URI: z.string().min(1).optional(),
    SAGEMAKER_INSTANCE_TYPE: z.string().regex(/^ml\.[a-z0-9]+\.[a-z0-9]+$/, 'must be a SageMaker instance type such as ml.m5.large').default('ml.m5.large'),
    /** A SageMaker-compatible endpoint (moto); unset for AWS. */
    SAGEMAKER_ENDPOINT: z.url().optional(),
    /** Managed Spot training: up to ~70-90% cheaper, may wait for capacity and restart after an interruption (the run waits at most twice its time limit). */
    SAGEMAKER_SPOT_TRAINING: bool.default(false),
    SAGEMAKER_MAX_RUNTIME_SECONDS: z.coerce.number().int('must be a whole number of seconds').min(60, 'must be at least 60').max(2_419_200, 'must be at most 2419200 (28 days)').default(14_400),
    /** Mirror model versions into a SageMaker Model Package Group; unset: sagemaker when TRAINING_BACKEND=sagemaker, else none. */
    MODEL_REGISTRY_MIRROR: z.enum(['sagemaker', 'none'], { error: 'must be sagemaker or none' }).optional(),
    /** One fixed group for every model; unset: a group named after each model. */
    SAGEMAKER_MODEL_PACKAGE_GROUP: z.string().regex(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/, 'must be a SageMaker model package group name: 1–63 letters, digits and hyphens, starting and ending with a letter or digit').optional(),
    /** The inference service image in ECR, named by mirrored model packages (unset: TRAINER_IMAGE_URI). */
    INFERENCE_IMAGE_URI: z.string().regex(/^\S{1,255}$/, 'must be a container image URI (no spaces, at most 255 characters)').optional(),
    /** Where cost totals come from: the cost model (usage × AWS prices) or Cost Explorer; unset: cost_explorer when TRAINING_BACKEND=sagemaker, else model. */
    COST_SOURCE: z.enum(['model', 'cost_explorer'], { error: 'must be model or cost_explorer' }).optional(),
    /** The cost-allocation tag on the project's AWS resources, read from Cost Explorer. */
    COST_TAG_KEY: z.string().regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u, 'must be an AWS tag key: 1–128 letters, digits, spaces and _.:/=+-@').default('project'),
    COST_TAG_VALUE: z.string().regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u, 'must be an AWS tag value: 1–256 letters, digits, spaces and _.:/=+-@').default('pricesense'),
    /** A Cost Explorer-compatible endpoint (moto); unset for AWS. */
    COST_EXPLORER_ENDPOINT: z.url().optional(),
    /** Where deployment telemetry is read and alarms live: local (scraped into Postgres) or cloudwatch (EMF metrics, CloudWatch alarms). */
    TELEMETRY_BACKEND: z.enum(['local', 'cloudwatch'], { error: 'must be local or cloudwatch' }).default('local'),
    /** A CloudWatch-compatible endpoint (moto); unset for AWS. */
    CLOUDWATCH_ENDPOINT: z.url().optional(),
    /** The namespace the inference service's EMF lines use (its INFERENCE_METRICS_NAMESPACE). */
    CLOUDWATCH_NAMESPACE: z.string().regex(/^[^:]{1,255}$/, 'must be a CloudWatch namespace: 1–255 characters, no colon').default('PriceSense/Inference'),
    /** SNS topic CloudWatch alarms notify on ALARM and OK (optional). */
    CLOUDWATCH_ALARM_TOPIC_ARN: z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:\S+$/, 'must be an SNS topic ARN (arn:aws:sns:<region>:<account id>:<name>)').optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LOGIN_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(5),
    LOGIN_LOCKOUT_SECONDS: z.coerce.number().int().min(1).default(900),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
    /** A file the worker touches after each heartbeat it records (the container health check reads its age). */
    WORKER_HEARTBEAT_FILE: z.string().min(1).optional(),
    MLOPS_DEMO: bool.default(true),
    MLOPS_DEMO_ROWS: z.coerce.number().int().min(10_000, 'must be at least 10000').max(20_000_000, 'must be at most 20000000').default(400_000),
    SECURE_COOKIES: bool.optional(),
    /** Days of predictions, feedback and metric rollups kept for monitoring. */
    MONITORING_RETENTION_DAYS: z.coerce.number().int('must be a whole number of days').min(1, 'must be at least 1').max(3650, 'must be at most 3650').default(30),
  });

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // Empty strings count as unset, as shells and .env files commonly write them.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = envSchema.safeParse(cleaned);
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => {
        const name = issue.path.join('.') || '(environment)';
        const value = cleaned[name];
        const shown = value !== undefined && !/SECRET|PASSWORD|DATABASE_URL/.test(name) ? ` (got "${value}")` : '';
        return `${name} ${issue.message}${shown}`;
      });
  // Rules across variables, checked even when single values are wrong, so one run lists everything.
  if (cleaned.STORAGE_BACKEND === 's3' && !cleaned.S3_BUCKET) problems.push('S3_BUCKET is required when STORAGE_BACKEND=s3');
  if (cleaned.TRAINING_BACKEND === 'sagemaker') {
    if (!cleaned.SAGEMAKER_ROLE_ARN) problems.push('SAGEMAKER_ROLE_ARN is required when TRAINING_BACKEND=sagemaker');
    if (!cleaned.TRAINER_IMAGE_URI) problems.push('TRAINER_IMAGE_URI is required when TRAINING_BACKEND=sagemaker');
    if (cleaned.STORAGE_BACKEND !== 's3') problems.push('STORAGE_BACKEND=s3 is required when TRAINING_BACKEND=sagemaker (SageMaker reads the dataset from S3 and writes the model there)');
  }
  if (cleaned.MODEL_REGISTRY_MIRROR === 'sagemaker') {
    if (cleaned.STORAGE_BACKEND !== 's3') problems.push('STORAGE_BACKEND=s3 is required when MODEL_REGISTRY_MIRROR=sagemaker (model packages point at the model in S3)');
    if (!cleaned.INFERENCE_IMAGE_URI && !cleaned.TRAINER_IMAGE_URI) problems.push('INFERENCE_IMAGE_URI (or TRAINER_IMAGE_URI) is required when MODEL_REGISTRY_MIRROR=sagemaker (a model package names the container that serves it)');
  }
  if (cleaned.MLOPS_ADMIN_PASSWORD && !cleaned.MLOPS_ADMIN_EMAIL) problems.push('MLOPS_ADMIN_EMAIL is required when MLOPS_ADMIN_PASSWORD is set');
  if (problems.length || !result.success) throw new EnvError(problems);
  return result.data;
}

let cached: Env | null = null;

export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

export function dataDir(env: Env) {
  return path.resolve(/*turbopackIgnore: true*/ env.MLOPS_DATA_DIR);
}

export function storageDir(env: Env) {
  return path.resolve(/*turbopackIgnore: true*/ env.STORAGE_DIR ?? path.join(dataDir(env), 'storage'));
}

/** SageMaker settings when they are complete (role, image, S3 storage), else null: runs can then only train locally. */
export function sagemakerSettings(env: Env) {
  if (!env.SAGEMAKER_ROLE_ARN || !env.TRAINER_IMAGE_URI || env.STORAGE_BACKEND !== 's3' || !env.S3_BUCKET) return null;
  return {
    region: env.AWS_REGION, roleArn: env.SAGEMAKER_ROLE_ARN, imageUri: env.TRAINER_IMAGE_URI, endpoint: env.SAGEMAKER_ENDPOINT,
    instanceType: env.SAGEMAKER_INSTANCE_TYPE, maxRuntimeSeconds: env.SAGEMAKER_MAX_RUNTIME_SECONDS, spot: env.SAGEMAKER_SPOT_TRAINING,
  };
}
