import type * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import { COST_TAG, type StackConfig, type WorkloadSize } from '../../lib/infra-config';
import { appEnv, inferenceEnv, type ManifestValues } from './app-env';
import { APP_NAMESPACE, PORTS, SERVICE_ACCOUNTS } from './names';

/**
 * The platform's Kubernetes objects as plain data: the Pulumi program creates
 * them (infra/components/workloads.ts) and `npm run -s infra:render` writes them
 * as YAML for `kubectl apply`, from this one function, so both agree. Values
 * that AWS generates (image URIs, role ARNs, the bucket) are strings here or
 * Pulumi outputs there; the objects are type-checked against the Kubernetes
 * API types with `satisfies`.
 */

type Val = pulumi.Input<string>;
type Meta = { name: string; namespace?: string; labels: Record<string, string>; annotations?: Record<string, Val> };
export type Manifest = { apiVersion: string; kind: string; metadata: Meta; [field: string]: unknown };

export type Component = 'web' | 'worker' | 'inference';

const cpu = (cores: number) => `${Math.round(cores * 1000)}m`;
const memory = (gib: number) => `${Math.round(gib * 1024)}Mi`;

function labels(stack: StackConfig, component?: Component): Record<string, string> {
  return {
    'app.kubernetes.io/part-of': 'pricesense',
    'app.kubernetes.io/instance': `pricesense-${stack.name}`,
    ...(component ? { 'app.kubernetes.io/name': component } : {}),
  };
}
const selector = (stack: StackConfig, component: Component) => ({ 'app.kubernetes.io/name': component, 'app.kubernetes.io/instance': `pricesense-${stack.name}` });
const meta = (stack: StackConfig, name: string, component?: Component, annotations?: Record<string, Val>): Meta =>
  ({ name, namespace: APP_NAMESPACE, labels: labels(stack, component), ...(annotations ? { annotations } : {}) });

/** Requests from StackConfig (what the estimate prices); limits: the same memory, twice the CPU. */
function resources(size: WorkloadSize): k8s.types.input.core.v1.ResourceRequirements {
  return { requests: { cpu: cpu(size.cpu), memory: memory(size.memoryGiB) }, limits: { cpu: cpu(size.cpu * 2), memory: memory(size.memoryGiB) } };
}

const CONTAINER_SECURITY = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } };
// The node images' `node` user; fsGroup makes the scratch volumes writable for it.
const POD_SECURITY = { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } };

type ContainerSpec = k8s.types.input.core.v1.Container;

function deployment(stack: StackConfig, component: Component, pod: { serviceAccount: string; container: ContainerSpec; scratch: Record<string, { path: string; sizeLimit: string }>; graceSeconds: number }): Manifest {
  const volumes = Object.entries(pod.scratch).map(([name, v]) => ({ name, emptyDir: { sizeLimit: v.sizeLimit } }));
  const volumeMounts = Object.entries(pod.scratch).map(([name, v]) => ({ name, mountPath: v.path }));
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(stack, component, component),
    // No `replicas`: the HorizontalPodAutoscaler owns the count, starting from its minimum.
    spec: {
      selector: { matchLabels: selector(stack, component) },
      revisionHistoryLimit: 5,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels: labels(stack, component) },
        spec: {
          // The service account carries the IAM role (IRSA). Its Kubernetes token stays mounted: the
          // IRSA webhook has been reported to inject nothing when automounting is off. The account has
          // no RBAC bindings, so the token opens nothing in the cluster.
          serviceAccountName: pod.serviceAccount,
          securityContext: POD_SECURITY,
          terminationGracePeriodSeconds: pod.graceSeconds,
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector(stack, component) } }],
          containers: [{ ...pod.container, securityContext: CONTAINER_SECURITY, volumeMounts }],
          volumes,
        },
      },
    } satisfies k8s.types.input.apps.v1.DeploymentSpec,
  };
}

function autoscaler(stack: StackConfig, component: Component, size: WorkloadSize): Manifest {
  return {
    apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: meta(stack, component, component),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: component },
      minReplicas: size.minReplicas,
      maxReplicas: size.maxReplicas,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } },
      ],
      behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
    } satisfies k8s.types.input.autoscaling.v2.HorizontalPodAutoscalerSpec,
  };
}

function disruptionBudget(stack: StackConfig, component: Component): Manifest {
  return {
    apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta(stack, component, component),
    // One pod at a time during node drains; with two or more replicas one keeps serving.
    spec: { maxUnavailable: 1, selector: { matchLabels: selector(stack, component) } } satisfies k8s.types.input.policy.v1.PodDisruptionBudgetSpec,
  };
}

function service(stack: StackConfig, component: 'web' | 'inference', port: number, healthPath: string): Manifest {
  return {
    apiVersion: 'v1', kind: 'Service',
    metadata: meta(stack, component, component, { 'alb.ingress.kubernetes.io/healthcheck-path': healthPath }),
    spec: { type: 'ClusterIP', selector: selector(stack, component), ports: [{ name: 'http', port, targetPort: 'http', protocol: 'TCP' }] } satisfies k8s.types.input.core.v1.ServiceSpec,
  };
}

const httpGet = (path: string, extra: Record<string, number>) => ({ httpGet: { path, port: 'http' }, timeoutSeconds: 3, ...extra });

/** Every object the platform needs in its namespace, in apply order (the Secret `pricesense-app` is made separately: never in YAML). */
export function buildAppManifests(v: ManifestValues): Manifest[] {
  const { stack } = v;
  const albTags = Object.entries({ ...stack.tags, [COST_TAG.key]: COST_TAG.value }).map(([k, val]) => `${k}=${val}`);
  const web = deployment(stack, 'web', {
    serviceAccount: SERVICE_ACCOUNTS.controlPlane, graceSeconds: 30,
    scratch: { tmp: { path: '/tmp', sizeLimit: '256Mi' }, data: { path: '/data', sizeLimit: '1Gi' }, 'next-cache': { path: '/app/.next/cache', sizeLimit: '512Mi' } },
    container: {
      name: 'web', image: v.images.web, ports: [{ name: 'http', containerPort: PORTS.web }], env: appEnv(v, 'web'), resources: resources(stack.web),
      // Migrations run before Next starts (docker/web-entrypoint.sh): up to 5 minutes.
      startupProbe: httpGet('/api/health', { periodSeconds: 5, failureThreshold: 60 }),
      readinessProbe: httpGet('/api/health', { periodSeconds: 10, failureThreshold: 3 }),
      // Liveness does not ask the database: a database failover must not restart every web pod.
      livenessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 20, failureThreshold: 3 },
    },
  });
  const worker = deployment(stack, 'worker', {
    // SIGTERM puts running jobs back on the queue; give imports time to stop cleanly.
    serviceAccount: SERVICE_ACCOUNTS.controlPlane, graceSeconds: 90,
    scratch: { tmp: { path: '/tmp', sizeLimit: '1Gi' }, data: { path: '/data', sizeLimit: '8Gi' } },
    container: {
      name: 'worker', image: v.images.worker, env: appEnv(v, 'worker'), resources: resources(stack.worker),
      // No port: alive = its heartbeat file is fresh (server/jobs/worker-healthcheck.mjs, the image's HEALTHCHECK).
      startupProbe: { exec: { command: ['node', 'server/jobs/worker-healthcheck.mjs'] }, periodSeconds: 10, failureThreshold: 30, timeoutSeconds: 5 },
      livenessProbe: { exec: { command: ['node', 'server/jobs/worker-healthcheck.mjs'] }, periodSeconds: 30, failureThreshold: 3, timeoutSeconds: 5 },
    },
  });
  const inference = deployment(stack, 'inference', {
    serviceAccount: SERVICE_ACCOUNTS.inference, graceSeconds: 30,
    scratch: { tmp: { path: '/tmp', sizeLimit: '256Mi' } },
    container: {
      name: 'inference', image: v.images.inference, ports: [{ name: 'http', containerPort: PORTS.inference }], env: inferenceEnv(v), resources: resources(stack.inference),
      startupProbe: httpGet('/healthz', { periodSeconds: 2, failureThreshold: 30 }),
      // Ready once it serves a model: a pod still loading one gets no traffic.
      readinessProbe: httpGet('/readyz', { periodSeconds: 5, failureThreshold: 2 }),
      livenessProbe: httpGet('/healthz', { periodSeconds: 10, failureThreshold: 3 }),
    },
  });

  return [
    {
      apiVersion: 'v1', kind: 'Namespace',
      metadata: {
        name: APP_NAMESPACE,
        labels: {
          ...labels(stack),
          // Every pod must meet the "restricted" Pod Security Standard (non-root, no privilege escalation, seccomp).
          'pod-security.kubernetes.io/enforce': 'restricted',
          // The load balancer controller holds a rolling update until new pods are healthy targets.
          'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled',
        },
      },
    },
    ...(['controlPlane', 'inference'] as const).map((sa): Manifest => ({
      apiVersion: 'v1', kind: 'ServiceAccount',
      metadata: meta(stack, SERVICE_ACCOUNTS[sa], undefined, { 'eks.amazonaws.com/role-arn': v.roles[sa] }),
    })),
    web, worker, inference,
    service(stack, 'web', PORTS.web, '/api/health'),
    service(stack, 'inference', PORTS.inference, '/readyz'),
    ...(['web', 'worker', 'inference'] as const).flatMap((c) => [autoscaler(stack, c, stack[c]), disruptionBudget(stack, c)]),
    {
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
      metadata: meta(stack, 'pricesense', undefined, {
        'alb.ingress.kubernetes.io/load-balancer-name': albName(stack),
        'alb.ingress.kubernetes.io/scheme': 'internet-facing',
        'alb.ingress.kubernetes.io/target-type': 'ip',
        // Port 80 exists only to answer with a redirect to 443.
        'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP":80},{"HTTPS":443}]',
        'alb.ingress.kubernetes.io/ssl-redirect': '443',
        'alb.ingress.kubernetes.io/certificate-arn': v.certificateArn,
        'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        'alb.ingress.kubernetes.io/security-groups': v.albSecurityGroupId,
        'alb.ingress.kubernetes.io/manage-backend-security-group-rules': 'true',
        'alb.ingress.kubernetes.io/load-balancer-attributes': 'routing.http.drop_invalid_header_fields.enabled=true,idle_timeout.timeout_seconds=60',
        'alb.ingress.kubernetes.io/tags': albTags.join(','),
      }),
      spec: {
        ingressClassName: 'alb',
        tls: [{ hosts: [v.domain, v.apiDomain] }],
        rules: [
          { host: v.domain, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } }] } },
          {
            // The prediction API only: /metrics, /healthz and /readyz stay inside the cluster.
            host: v.apiDomain,
            http: {
              paths: [
                { path: '/v1', pathType: 'Prefix', backend: { service: { name: 'inference', port: { name: 'http' } } } },
                { path: '/openapi.json', pathType: 'Exact', backend: { service: { name: 'inference', port: { name: 'http' } } } },
                { path: '/docs', pathType: 'Exact', backend: { service: { name: 'inference', port: { name: 'http' } } } },
              ],
            },
          },
        ],
      } satisfies k8s.types.input.networking.v1.IngressSpec,
    },
  ];
}

/** The ALB's name (at most 32 characters): alarms and the dashboard look it up by this name. */
export function albName(stack: StackConfig): string {
  return `pricesense-${stack.name}`;
}

