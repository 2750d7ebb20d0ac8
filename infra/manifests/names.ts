import type { StackConfig } from '../../lib/infra-config';

/**
 * Names shared by the Pulumi program and the rendered manifests: the namespace,
 * service accounts (their IAM roles trust exactly these), the Secret the pods
 * read, ports and in-cluster URLs. Plain data, importable without Pulumi.
 */

export const APP_NAMESPACE = 'pricesense';
export const SERVICE_ACCOUNTS = { controlPlane: 'control-plane', inference: 'inference' } as const;
/** The Kubernetes Secret with DATABASE_URL, AUTH_SECRET and MLOPS_ADMIN_PASSWORD (from Secrets Manager `pricesense-<stack>/app`). */
export const APP_SECRET_NAME = 'pricesense-app';
export const PORTS = { web: 3000, inference: 8080 } as const;

/** A Service's address inside the cluster. */
export function serviceUrl(service: 'web' | 'inference'): string {
  return `http://${service}.${APP_NAMESPACE}.svc.cluster.local:${PORTS[service]}`;
}

/** The CloudWatch namespace of one stack's inference metrics: per stack, so two installations in one account keep their metrics and alarms apart. */
export function metricsNamespace(stack: StackConfig): string {
  return `PriceSense/${stack.name}`;
}

/** The name prefix of the alarms the control plane manages (server/adapters/telemetry/cloudwatch.ts alarmPrefix; a test keeps them equal). */
export function appAlarmPrefix(namespace: string): string {
  return `pricesense-${namespace.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase()}-rule-`;
}

/** One SageMaker Model Package Group per stack, so dev and prod in one account do not share a registry mirror. */
export function modelPackageGroup(stack: StackConfig): string {
  return `pricesense-${stack.name}`;
}
