import YAML from 'yaml';
import type { StackConfig } from '../../lib/infra-config';
import { buildAppManifests, type Component, type Manifest } from './app-manifests';
import type { ManifestValues } from './app-env';

/**
 * The manifests as YAML files for `kubectl apply -f <dir>` (applied in file-name
 * order): the namespace, the service accounts, one file per component and the
 * Ingress. With placeholder values they are templates for `envsubst`.
 */

/** `${NAME}` placeholders: what a team fills in (envsubst) when it applies the YAML without Pulumi. */
export const PLACEHOLDERS = {
  WEB_IMAGE: 'web image URI with tag',
  WORKER_IMAGE: 'worker image URI with tag',
  INFERENCE_IMAGE: 'inference image URI with tag',
  TRAINER_IMAGE: 'trainer image URI with tag',
  IMAGE_TAG: 'the release the images were built from (reported by the inference service)',
  CONTROL_PLANE_ROLE_ARN: 'IAM role of the web app and worker (IRSA)',
  INFERENCE_ROLE_ARN: 'IAM role of the inference pods (IRSA)',
  SAGEMAKER_EXECUTION_ROLE_ARN: 'SageMaker execution role',
  ARTIFACTS_BUCKET: 'the platform bucket (S3_BUCKET)',
  DOMAIN: 'web app host name',
  API_DOMAIN: 'prediction API host name',
  CERTIFICATE_ARN: 'ACM certificate covering both host names',
  ALB_SECURITY_GROUP_ID: 'security group of the load balancer',
  ADMIN_EMAIL: 'first administrator email',
  ALARM_TOPIC_ARN: 'SNS topic for the app\'s CloudWatch alarms',
} as const;

const p = (name: keyof typeof PLACEHOLDERS) => `\${${name}}`;

export function placeholderValues(stack: StackConfig): ManifestValues {
  return {
    stack,
    images: { web: p('WEB_IMAGE'), worker: p('WORKER_IMAGE'), inference: p('INFERENCE_IMAGE'), trainer: p('TRAINER_IMAGE') },
    roles: { controlPlane: p('CONTROL_PLANE_ROLE_ARN'), inference: p('INFERENCE_ROLE_ARN'), sagemakerExecution: p('SAGEMAKER_EXECUTION_ROLE_ARN') },
    artifactsBucket: p('ARTIFACTS_BUCKET'),
    domain: p('DOMAIN'),
    apiDomain: p('API_DOMAIN'),
    certificateArn: p('CERTIFICATE_ARN'),
    albSecurityGroupId: p('ALB_SECURITY_GROUP_ID'),
    adminEmail: p('ADMIN_EMAIL'),
    alarmTopicArn: p('ALARM_TOPIC_ARN'),
    version: p('IMAGE_TAG'),
  };
}

/** The stack's `renderValues` output (`pulumi stack output renderValues --json`) and an image tag, as manifest values. */
export type RenderValuesFile = Omit<ManifestValues, 'stack' | 'images' | 'version'> & { images: Record<'web' | 'worker' | 'inference' | 'trainer', string> };

export function valuesFromStackOutput(stack: StackConfig, file: RenderValuesFile, imageTag: string): ManifestValues {
  const image = (name: keyof RenderValuesFile['images']) => `${file.images[name]}:${imageTag}`;
  return { ...file, stack, images: { web: image('web'), worker: image('worker'), inference: image('inference'), trainer: image('trainer') }, version: imageTag };
}

function fileFor(m: Manifest): string {
  if (m.kind === 'Namespace') return '00-namespace.yaml';
  if (m.kind === 'ServiceAccount') return '10-service-accounts.yaml';
  if (m.kind === 'Ingress') return '90-ingress.yaml';
  const order: Record<Component, number> = { web: 20, worker: 30, inference: 40 };
  const component = m.metadata.labels['app.kubernetes.io/name'] as Component | undefined;
  if (!component || !(component in order)) throw new Error(`no file for ${m.kind} ${m.metadata.name}`);
  return `${order[component]}-${component}.yaml`;
}

/** File name → YAML text (multi-document), in apply order. */
export function renderManifests(values: ManifestValues, header: string): Map<string, string> {
  const files = new Map<string, string[]>();
  for (const m of buildAppManifests(values)) {
    const name = fileFor(m);
    files.set(name, [...(files.get(name) ?? []), YAML.stringify(m, { lineWidth: 0 })]);
  }
  return new Map([...files.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, docs]) => [name, `${header}${docs.join('---\n')}`]));
}
