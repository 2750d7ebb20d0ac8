import 'server-only';
import type { Env } from '@/server/env';
import type { ModelRegistryMirror } from './port';
import { createSageMakerRegistryMirror } from './sagemaker';

export type { MirrorApprovalStatus, MirroredVersion, MirrorVersion, ModelRegistryMirror } from './port';
export { RegistryMirrorError } from './port';

/**
 * The external registry model versions are mirrored to: a SageMaker Model
 * Package Group in AWS mode (MODEL_REGISTRY_MIRROR, which defaults to sagemaker
 * when TRAINING_BACKEND=sagemaker), else null. Built once at start-up;
 * credentials come from the SDK's default chain, never from our config.
 */
export function createRegistryMirror(env: Env): ModelRegistryMirror | null {
  const mode = env.MODEL_REGISTRY_MIRROR ?? (env.TRAINING_BACKEND === 'sagemaker' ? 'sagemaker' : 'none');
  if (mode === 'none') return null;
  return createSageMakerRegistryMirror({
    region: env.AWS_REGION,
    endpoint: env.SAGEMAKER_ENDPOINT,
    groupName: env.SAGEMAKER_MODEL_PACKAGE_GROUP,
    imageUri: env.INFERENCE_IMAGE_URI ?? env.TRAINER_IMAGE_URI ?? null,
  });
}
