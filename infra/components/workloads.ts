import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { buildAppManifests, type Manifest } from '../manifests/app-manifests';
import type { ManifestValues } from '../manifests/app-env';
import { APP_NAMESPACE, APP_SECRET_NAME } from '../manifests/names';

export type WorkloadsArgs = {
  /** Everything the manifests need (images, roles, bucket, host names, certificate…). */
  values: ManifestValues;
  /** DATABASE_URL, AUTH_SECRET, MLOPS_ADMIN_PASSWORD: secret outputs, written only into the Kubernetes Secret. */
  secrets: Record<string, pulumi.Input<string>>;
  provider: k8s.Provider;
  /** The load balancer controller and the nodes: Services and the Ingress need its webhook and controller running. */
  dependsOn: pulumi.Resource[];
};

/**
 * The platform on Kubernetes: the objects of buildAppManifests (the same ones
 * `infra:render` writes as YAML) plus the Secret, created from Secrets Manager's
 * values and never rendered. The inference Deployment is not awaited: its pods
 * become ready only once a model is deployed from the control plane, which
 * happens after the infrastructure exists.
 */
export class Workloads extends pulumi.ComponentResource {
  readonly ingress: k8s.networking.v1.Ingress;

  constructor(name: string, args: WorkloadsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('pricesense:infra:Workloads', name, {}, opts);
    const manifests = buildAppManifests(args.values);
    const base = { parent: this, provider: args.provider };
    const prefix = `pricesense-${args.values.stack.name}`;

    const [namespaceManifest, ...rest] = manifests;
    if (namespaceManifest?.kind !== 'Namespace') throw new Error('buildAppManifests must start with the Namespace');
    const namespace = new k8s.core.v1.Namespace(`${prefix}-ns`, asArgs<k8s.core.v1.NamespaceArgs>(namespaceManifest), { ...base, dependsOn: args.dependsOn });
    const inNamespace = { ...base, dependsOn: [namespace, ...args.dependsOn] };
    const secret = new k8s.core.v1.Secret(`${prefix}-app-secret`, {
      metadata: { name: APP_SECRET_NAME, namespace: APP_NAMESPACE, labels: namespaceManifest.metadata.labels },
      type: 'Opaque',
      stringData: pulumi.secret(args.secrets),
    }, inNamespace);

    let ingress: k8s.networking.v1.Ingress | undefined;
    for (const m of rest) {
      const id = `${prefix}-${m.kind.toLowerCase()}-${m.metadata.name}`;
      const created = createObject(id, m, { ...inNamespace, dependsOn: [namespace, secret, ...args.dependsOn] });
      if (created instanceof k8s.networking.v1.Ingress) ingress = created;
    }
    if (!ingress) throw new Error('buildAppManifests must include the Ingress');
    this.ingress = ingress;
    this.registerOutputs({});
  }
}

/** The manifest as the resource's arguments (see createObject). */
const asArgs = <T>(m: Manifest): T => m as unknown as T;

/**
 * One manifest as its typed Pulumi resource. The manifests were checked against
 * the same Kubernetes input types (`satisfies` in app-manifests.ts), which is
 * what makes these casts safe.
 */
function createObject(id: string, m: Manifest, opts: pulumi.CustomResourceOptions): pulumi.CustomResource {
  switch (m.kind) {
    case 'ServiceAccount': return new k8s.core.v1.ServiceAccount(id, asArgs<k8s.core.v1.ServiceAccountArgs>(m), opts);
    case 'Deployment': {
      // Readiness needs a deployed model; Pulumi would otherwise wait for it and fail a first install.
      const awaited = m.metadata.name === 'inference' ? { ...m, metadata: { ...m.metadata, annotations: { ...m.metadata.annotations, 'pulumi.com/skipAwait': 'true' } } } : m;
      return new k8s.apps.v1.Deployment(id, asArgs<k8s.apps.v1.DeploymentArgs>(awaited), opts);
    }
    case 'Service': return new k8s.core.v1.Service(id, asArgs<k8s.core.v1.ServiceArgs>(m), opts);
    case 'HorizontalPodAutoscaler': return new k8s.autoscaling.v2.HorizontalPodAutoscaler(id, asArgs<k8s.autoscaling.v2.HorizontalPodAutoscalerArgs>(m), opts);
    case 'PodDisruptionBudget': return new k8s.policy.v1.PodDisruptionBudget(id, asArgs<k8s.policy.v1.PodDisruptionBudgetArgs>(m), opts);
    case 'Ingress': return new k8s.networking.v1.Ingress(id, asArgs<k8s.networking.v1.IngressArgs>(m), opts);
    default: throw new Error(`no Pulumi resource for a ${m.kind} manifest (${m.metadata.name})`);
  }
}
