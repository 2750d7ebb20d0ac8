import 'server-only';
import path from 'node:path';
import { ensureAuthSecret } from '@/server/auth/auth-secret';
import { controlPlanePredictKey } from '@/server/auth/predict-key';
import { dataDir, type Env } from '@/server/env';
import type { JobQueue } from '@/server/jobs/queue-port';
import type { Adapters } from '@/server/services/context';
import { createCostSource } from './costs';
import { createRegistryMirror } from './registry';
import { createStorage } from './storage';
import { createTelemetry } from './telemetry';
import { createTrainingAdapters } from './training';

/** Every adapter a process needs, chosen once from validated config (web, worker and CLI alike). */
export async function createAdapters(env: Env, opts: { queue?: JobQueue } = {}): Promise<Adapters> {
  const host = env.INFERENCE_HOST === '0.0.0.0' ? '127.0.0.1' : env.INFERENCE_HOST;
  return {
    storage: createStorage(env),
    queue: opts.queue,
    workDir: path.join(dataDir(env), 'work'),
    training: createTrainingAdapters(env),
    registryMirror: createRegistryMirror(env),
    predictKey: controlPlanePredictKey(await ensureAuthSecret(dataDir(env), env.AUTH_SECRET)),
    inferenceUrl: env.INFERENCE_URL ?? `http://${host}:${env.INFERENCE_PORT}`,
    costs: createCostSource(env),
    telemetry: createTelemetry(env),
  };
}
