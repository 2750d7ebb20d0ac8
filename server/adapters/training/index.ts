import 'server-only';
import { sagemakerSettings, type Env } from '@/server/env';
import type { TrainingBackendPort } from './port';
import { createSageMakerBackend } from './sagemaker';

export type { TrainingBackendPort, TrainingJobDescription, TrainingJobSpec, TrainingJobStatus } from './port';
export { TrainingBackendError, TrainingJobNotFoundError } from './port';

/**
 * The remote training backend the configuration allows (null when SageMaker is
 * not fully configured) and the backend a launch uses by default. Built once at
 * start-up; credentials come from the SDK's default chain, never from our config.
 */
export function createTrainingAdapters(env: Env): { remote: TrainingBackendPort | null; defaultBackend: 'local' | 'sagemaker' } {
  const settings = sagemakerSettings(env);
  return { remote: settings ? createSageMakerBackend(settings) : null, defaultBackend: env.TRAINING_BACKEND };
}
