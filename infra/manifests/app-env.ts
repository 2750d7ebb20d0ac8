import type * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import { COST_TAG, type StackConfig } from '../../lib/infra-config';
import { APP_SECRET_NAME, metricsNamespace, modelPackageGroup, PORTS, serviceUrl } from './names';

type Val = pulumi.Input<string>;

/**
 * What the manifests need from the environment they run in. In the Pulumi
 * program these are the stack's outputs; for the rendered YAML they are
 * `${PLACEHOLDERS}` (filled by envsubst) or a values file.
 */
export type ManifestValues = {
  stack: StackConfig;
  images: { web: Val; worker: Val; inference: Val; trainer: Val };
  roles: { controlPlane: Val; inference: Val; sagemakerExecution: Val };
  /** The platform's storage bucket (S3_BUCKET). */
  artifactsBucket: Val;
  /** The web app's host name (the certificate covers it). */
  domain: string;
  /** The prediction API's host name. */
  apiDomain: string;
  certificateArn: Val;
  albSecurityGroupId: Val;
  /** The first administrator's email (used only while the database has no users). */
  adminEmail: string;
  /** SNS topic the app's CloudWatch alarms notify. */
  alarmTopicArn: Val;
  /** The release (image tag), reported by the inference service. */
  version: Val;
};

type EnvVar = k8s.types.input.core.v1.EnvVar;

const plain = (vars: Record<string, Val>): EnvVar[] => Object.entries(vars).map(([name, value]) => ({ name, value }));
const fromSecret = (...keys: string[]): EnvVar[] => keys.map((key) => ({ name: key, valueFrom: { secretKeyRef: { name: APP_SECRET_NAME, key } } }));

/**
 * The control plane's AWS-mode settings (server/env.ts): S3 storage, SageMaker
 * training and registry mirror, CloudWatch telemetry and alarms, Cost Explorer
 * with the project's cost tag. Secrets come from the Kubernetes Secret only.
 */
export function appEnv(v: ManifestValues, process: 'web' | 'worker'): EnvVar[] {
  const namespace = metricsNamespace(v.stack);
  return [
    ...plain({
      NODE_ENV: 'production',
      MLOPS_PROCESS: process,
      LOG_LEVEL: 'info',
      AWS_REGION: v.stack.region,
      STORAGE_BACKEND: 's3',
      S3_BUCKET: v.artifactsBucket,
      TRAINING_BACKEND: 'sagemaker',
      SAGEMAKER_ROLE_ARN: v.roles.sagemakerExecution,
      SAGEMAKER_SPOT_TRAINING: String(v.stack.spotTraining),
      TRAINER_IMAGE_URI: v.images.trainer,
      INFERENCE_IMAGE_URI: v.images.inference,
      MODEL_REGISTRY_MIRROR: 'sagemaker',
      SAGEMAKER_MODEL_PACKAGE_GROUP: modelPackageGroup(v.stack),
      TELEMETRY_BACKEND: 'cloudwatch',
      CLOUDWATCH_NAMESPACE: namespace,
      CLOUDWATCH_ALARM_TOPIC_ARN: v.alarmTopicArn,
      COST_SOURCE: 'cost_explorer',
      COST_TAG_KEY: COST_TAG.key,
      COST_TAG_VALUE: COST_TAG.value,
      INFERENCE_URL: serviceUrl('inference'),
      PUBLIC_URL: `https://${v.domain}`,
      // A cluster has no first-start demo: datasets come from users.
      MLOPS_DEMO: 'false',
      ...(process === 'web'
        ? { HOST: '0.0.0.0', PORT: String(PORTS.web), AUTH_TRUST_HOST: 'true', SECURE_COOKIES: 'true', MLOPS_ADMIN_EMAIL: v.adminEmail }
        : { WORKER_CONCURRENCY: '1' }),
    }),
    ...fromSecret('DATABASE_URL', 'AUTH_SECRET', ...(process === 'web' ? ['MLOPS_ADMIN_PASSWORD'] : [])),
  ];
}

/** The inference service's settings (inference/src/config.ts): S3 storage it watches, EMF metrics on stdout for CloudWatch. */
export function inferenceEnv(v: ManifestValues): EnvVar[] {
  return [
    ...plain({
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      INFERENCE_HOST: '0.0.0.0',
      INFERENCE_PORT: String(PORTS.inference),
      INFERENCE_DEPLOYMENT: 'production',
      // The control plane calls the Service, which spreads requests over the replicas.
      INFERENCE_PUBLIC_URL: serviceUrl('inference'),
      STORAGE_BACKEND: 's3',
      S3_BUCKET: v.artifactsBucket,
      AWS_REGION: v.stack.region,
      INFERENCE_METRICS_EMF: 'true',
      INFERENCE_METRICS_NAMESPACE: metricsNamespace(v.stack),
      SERVICE_VERSION: v.version,
    }),
    // The pod's name: telemetry and status files say which replica wrote them.
    { name: 'INFERENCE_INSTANCE_ID', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
  ];
}
