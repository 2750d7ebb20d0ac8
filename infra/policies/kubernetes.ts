import { asList, violation, type CapturedResource, type Policy, type Violation } from './types';

/**
 * Kubernetes workloads, checked the same way on the Pulumi program's resources
 * and on the rendered YAML (manifestResource turns a manifest into the shape the
 * program registers).
 */
const DEPLOYMENT = 'kubernetes:apps/v1:Deployment';

/** A manifest ({apiVersion, kind, metadata, …}) as a captured resource: `kubernetes:<group>/<version>:<Kind>`. */
export function manifestResource(m: { apiVersion: string; kind: string; metadata: { name: string } }): CapturedResource {
  const [group, version] = m.apiVersion.includes('/') ? m.apiVersion.split('/') : ['core', m.apiVersion];
  return { type: `kubernetes:${group}/${version}:${m.kind}`, name: m.metadata.name, inputs: m as unknown as Record<string, unknown>, custom: true, protect: false };
}

type Container = {
  name?: string; image?: string; ports?: unknown[];
  readinessProbe?: unknown; livenessProbe?: unknown;
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  securityContext?: { runAsNonRoot?: boolean; allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean; capabilities?: { drop?: string[] } };
};
type PodSpec = { securityContext?: { runAsNonRoot?: boolean }; containers?: Container[]; initContainers?: Container[] };
type DeploymentInputs = { metadata?: { name?: string }; spec?: { strategy?: { type?: string }; selector?: { matchLabels?: Record<string, string> }; template?: { spec?: PodSpec } } };

const deployments = (resources: readonly CapturedResource[]) => resources.filter((r) => r.type === DEPLOYMENT);
const spec = (r: CapturedResource) => (r.inputs as DeploymentInputs).spec;

export const workloadsHardened: Policy = {
  name: 'workloads-hardened',
  description: 'Every Deployment rolls out with RollingUpdate; every container runs as non-root without privilege escalation or capabilities on a read-only root, has a pinned image, CPU and memory requests and limits, and probes (readiness and liveness when it serves a port, liveness otherwise).',
  check: (resources) => deployments(resources).flatMap((r) => {
    const found: Violation[] = [];
    const bad = (message: string) => found.push(violation(workloadsHardened.name, r, message));
    const s = spec(r);
    if (s?.strategy?.type !== 'RollingUpdate') bad(`strategy is ${s?.strategy?.type ?? 'unset'}, not RollingUpdate`);
    const pod = s?.template?.spec;
    const containers = [...asList(pod?.containers), ...asList(pod?.initContainers)];
    if (containers.length === 0) bad('no containers');
    for (const c of containers) {
      const name = c.name ?? '(unnamed)';
      if (!(pod?.securityContext?.runAsNonRoot === true || c.securityContext?.runAsNonRoot === true)) bad(`${name}: may run as root (runAsNonRoot not true)`);
      if (c.securityContext?.allowPrivilegeEscalation !== false) bad(`${name}: allowPrivilegeEscalation is not false`);
      if (c.securityContext?.readOnlyRootFilesystem !== true) bad(`${name}: root filesystem is writable`);
      if (!asList(c.securityContext?.capabilities?.drop).includes('ALL')) bad(`${name}: capabilities are not all dropped`);
      if (!c.image || /:latest$/.test(c.image) || !/[:@]/.test(c.image.split('/').pop() ?? '')) bad(`${name}: image ${c.image ?? '(none)'} is not pinned to a tag or digest`);
      for (const kind of ['requests', 'limits'] as const) {
        for (const res of ['cpu', 'memory']) if (!c.resources?.[kind]?.[res]) bad(`${name}: no ${res} ${kind}`);
      }
      const serves = asList(c.ports).length > 0;
      if (!c.livenessProbe) bad(`${name}: no liveness probe`);
      if (serves && !c.readinessProbe) bad(`${name}: serves a port without a readiness probe`);
    }
    return found;
  }),
};

type Hpa = { spec?: { scaleTargetRef?: { kind?: string; name?: string }; minReplicas?: number; maxReplicas?: number; metrics?: { type?: string; resource?: { name?: string } }[] } };
type Pdb = { spec?: { selector?: { matchLabels?: Record<string, string> }; maxUnavailable?: unknown; minAvailable?: unknown } };

export const workloadsScaledAndBudgeted: Policy = {
  name: 'workloads-scaled-and-budgeted',
  description: 'Every Deployment has a HorizontalPodAutoscaler on CPU and memory with 1 ≤ min ≤ max, and a PodDisruptionBudget selecting its pods.',
  check: (resources) => deployments(resources).flatMap((r) => {
    const found: Violation[] = [];
    const name = (r.inputs as DeploymentInputs).metadata?.name;
    const hpas = resources.filter((h) => h.type === 'kubernetes:autoscaling/v2:HorizontalPodAutoscaler')
      .map((h) => (h.inputs as Hpa).spec).filter((h) => h?.scaleTargetRef?.kind === 'Deployment' && h.scaleTargetRef.name === name);
    const hpa = hpas[0];
    if (!hpa) found.push(violation(workloadsScaledAndBudgeted.name, r, 'no HorizontalPodAutoscaler'));
    else {
      const metrics = new Set(asList(hpa.metrics).filter((m) => m.type === 'Resource').map((m) => m.resource?.name));
      if (!metrics.has('cpu') || !metrics.has('memory')) found.push(violation(workloadsScaledAndBudgeted.name, r, 'the autoscaler does not scale on both CPU and memory'));
      if (!(Number(hpa.minReplicas) >= 1 && Number(hpa.minReplicas) <= Number(hpa.maxReplicas))) found.push(violation(workloadsScaledAndBudgeted.name, r, `autoscaler bounds ${hpa.minReplicas}…${hpa.maxReplicas} are not 1 ≤ min ≤ max`));
    }
    const labels = spec(r)?.selector?.matchLabels ?? {};
    const budgeted = resources.filter((p) => p.type === 'kubernetes:policy/v1:PodDisruptionBudget').some((p) => {
      const sel = (p.inputs as Pdb).spec?.selector?.matchLabels ?? {};
      return Object.keys(sel).length > 0 && Object.entries(sel).every(([k, v]) => labels[k] === v);
    });
    if (!budgeted) found.push(violation(workloadsScaledAndBudgeted.name, r, 'no PodDisruptionBudget selects its pods'));
    return found;
  }),
};
