import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { STACKS, type StackName } from '../../lib/infra-config';
import { workloadsHardened, workloadsScaledAndBudgeted } from '../policies/kubernetes';
import { manifestResource } from '../policies/kubernetes';
import type { CapturedStack } from '../testing/capture';
import { TEST_INSTALLATION } from '../testing/capture';
import { capturedStacks } from '../testing/stacks';
import { buildAppManifests } from './app-manifests';
import { PLACEHOLDERS, placeholderValues, renderManifests, valuesFromStackOutput, type RenderValuesFile } from './render-yaml';

// The rendered YAML (what a team without Pulumi applies with kubectl) is checked
// at the schema level — API versions, kinds, required fields, references between
// objects — and against the objects the Pulumi program creates: both come from
// buildAppManifests and must agree.

const ROOT = path.resolve(import.meta.dirname, '../..');
const STACK_NAMES = ['dev', 'prod'] as const;
const HEADER = '# test\n';

type Doc = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: Record<string, unknown> };

function docs(stack: StackName): Doc[] {
  return [...renderManifests(placeholderValues(STACKS[stack]), HEADER).values()].flatMap((text) => YAML.parseAllDocuments(text).map((d) => {
    expect(d.errors).toEqual([]);
    return d.toJS() as Doc;
  }));
}

/** The API versions this platform uses, with the fields each kind must have (schema level). */
const KINDS: Record<string, { apiVersion: string; required: string[] }> = {
  Namespace: { apiVersion: 'v1', required: [] },
  ServiceAccount: { apiVersion: 'v1', required: [] },
  Deployment: { apiVersion: 'apps/v1', required: ['spec.selector.matchLabels', 'spec.template.metadata.labels', 'spec.template.spec.containers'] },
  Service: { apiVersion: 'v1', required: ['spec.selector', 'spec.ports'] },
  HorizontalPodAutoscaler: { apiVersion: 'autoscaling/v2', required: ['spec.scaleTargetRef.name', 'spec.minReplicas', 'spec.maxReplicas', 'spec.metrics'] },
  PodDisruptionBudget: { apiVersion: 'policy/v1', required: ['spec.selector.matchLabels'] },
  Ingress: { apiVersion: 'networking.k8s.io/v1', required: ['spec.ingressClassName', 'spec.rules'] },
};
const at = (o: unknown, dotted: string) => dotted.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o);

describe.each(STACK_NAMES)('rendered YAML for %s', (stack) => {
  const all = docs(stack);
  const named = (kind: string, name: string) => all.find((d) => d.kind === kind && d.metadata.name === name);

  it('every document has a known apiVersion/kind, a DNS-1123 name, the namespace, and its required fields', () => {
    for (const d of all) {
      const kind = KINDS[d.kind];
      expect(kind, d.kind).toBeDefined();
      expect(d.apiVersion, `${d.kind} ${d.metadata.name}`).toBe(kind!.apiVersion);
      expect(d.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      if (d.kind !== 'Namespace') expect(d.metadata.namespace, `${d.kind} ${d.metadata.name}`).toBe('pricesense');
      for (const field of kind!.required) expect(at(d, field), `${d.kind} ${d.metadata.name}: ${field}`).toBeDefined();
    }
    expect(all.map((d) => `${d.kind}/${d.metadata.name}`).sort()).toEqual([
      'Deployment/inference', 'Deployment/web', 'Deployment/worker',
      'HorizontalPodAutoscaler/inference', 'HorizontalPodAutoscaler/web', 'HorizontalPodAutoscaler/worker',
      'Ingress/pricesense', 'Namespace/pricesense',
      'PodDisruptionBudget/inference', 'PodDisruptionBudget/web', 'PodDisruptionBudget/worker',
      'Service/inference', 'Service/web', 'ServiceAccount/control-plane', 'ServiceAccount/inference',
    ]);
  });

  it('contains no Secret and no secret value: the pods reference the pricesense-app Secret', () => {
    expect(all.filter((d) => d.kind === 'Secret')).toEqual([]);
    const text = JSON.stringify(all);
    expect(text).not.toMatch(/postgresql:\/\//);
    for (const key of ['DATABASE_URL', 'AUTH_SECRET']) expect(text).toContain(`{"name":"${key}","valueFrom":{"secretKeyRef":{"name":"pricesense-app","key":"${key}"}}}`);
  });

  it('deployments: selectors match pod labels, containers have an image, named ports and probes, and pass the workload policies', () => {
    for (const name of ['web', 'worker', 'inference']) {
      const d = named('Deployment', name)!;
      const selector = at(d, 'spec.selector.matchLabels') as Record<string, string>;
      const labels = at(d, 'spec.template.metadata.labels') as Record<string, string>;
      expect(Object.entries(selector).every(([k, v]) => labels[k] === v), name).toBe(true);
      const [c] = at(d, 'spec.template.spec.containers') as { image: string; ports?: { name: string; containerPort: number }[]; livenessProbe?: unknown; readinessProbe?: unknown }[];
      expect(c!.image).toBe(`\${${name.toUpperCase()}_IMAGE}`);
      expect(c!.livenessProbe, name).toBeDefined();
      if (name !== 'worker') {
        expect(c!.ports).toEqual([{ name: 'http', containerPort: name === 'web' ? 3000 : 8080 }]);
        expect(c!.readinessProbe, name).toBeDefined();
      }
    }
    const resources = all.map(manifestResource);
    // Placeholder images are not pinned tags; fill them in as envsubst would.
    for (const r of resources) r.inputs = JSON.parse(JSON.stringify(r.inputs).replace(/\$\{([A-Z]+)_IMAGE\}/g, 'registry/$1:1.0')) as Record<string, unknown>;
    expect(workloadsHardened.check(resources)).toEqual([]);
    expect(workloadsScaledAndBudgeted.check(resources)).toEqual([]);
  });

  it('services select their pods; the Ingress routes to existing services and ports; autoscalers target existing Deployments', () => {
    for (const s of all.filter((d) => d.kind === 'Service')) {
      const pods = at(named('Deployment', s.metadata.name), 'spec.template.metadata.labels') as Record<string, string>;
      expect(Object.entries(at(s, 'spec.selector') as Record<string, string>).every(([k, v]) => pods[k] === v), s.metadata.name).toBe(true);
    }
    const backends = (at(named('Ingress', 'pricesense'), 'spec.rules') as { http: { paths: { backend: { service: { name: string; port: { name: string } } } }[] } }[])
      .flatMap((r) => r.http.paths.map((p) => p.backend.service));
    for (const b of backends) {
      const ports = at(named('Service', b.name), 'spec.ports') as { name: string }[] | undefined;
      expect(ports?.map((p) => p.name), b.name).toContain(b.port.name);
    }
    for (const h of all.filter((d) => d.kind === 'HorizontalPodAutoscaler')) expect(named('Deployment', at(h, 'spec.scaleTargetRef.name') as string)).toBeDefined();
  });

  it('uses only the documented ${PLACEHOLDERS}', () => {
    const used = new Set([...JSON.stringify(all).matchAll(/\$\{([A-Z_]+)\}/g)].map((m) => m[1]));
    expect([...used].sort()).toEqual(Object.keys(PLACEHOLDERS).sort());
  });

  it('is what infra/k8s/<stack>/ holds (run `npm run -s infra:render -- --stack <stack> --out infra/k8s/<stack>` after a change)', () => {
    const dir = path.join(ROOT, 'infra', 'k8s', stack);
    const expected = renderManifests(placeholderValues(STACKS[stack]), '');
    expect(fs.readdirSync(dir).sort()).toEqual([...expected.keys()].sort());
    for (const [name, text] of expected) {
      const committed = fs.readFileSync(path.join(dir, name), 'utf8').replace(/^(#.*\n)+/, '');
      expect(committed, name).toBe(text);
    }
  });
});

describe('rendered YAML and the Pulumi program agree', () => {
  let stacks: Record<StackName, CapturedStack>;
  beforeAll(async () => { stacks = await capturedStacks(); });

  it.each(STACK_NAMES)('%s: the renderer, given the stack\'s renderValues output and image tag, writes exactly the objects `pulumi up` creates', (stack) => {
    const fromPulumi = stacks[stack].resources.filter((r) => r.type.startsWith('kubernetes:') && !r.type.startsWith('kubernetes:helm.sh') && r.custom && r.type !== 'kubernetes:core/v1:Secret');
    const values = valuesFromStackOutput(STACKS[stack], stacks[stack].outputs.renderValues as RenderValuesFile, TEST_INSTALLATION.imageTag!);
    const rendered = buildAppManifests(values).map((m) => JSON.parse(JSON.stringify(m)) as Doc);
    expect(fromPulumi.map((r) => `${(r.inputs as Doc).kind}/${(r.inputs as Doc).metadata.name}`).sort()).toEqual(rendered.map((d) => `${d.kind}/${d.metadata.name}`).sort());
    for (const doc of rendered) {
      const created = structuredClone(fromPulumi.find((r) => (r.inputs as Doc).kind === doc.kind && (r.inputs as Doc).metadata.name === doc.metadata.name)!.inputs) as Doc;
      // The one Pulumi-only difference: it does not wait for inference pods to become ready.
      if (created.metadata.annotations?.['pulumi.com/skipAwait']) {
        delete created.metadata.annotations['pulumi.com/skipAwait'];
        if (Object.keys(created.metadata.annotations).length === 0) delete created.metadata.annotations;
      }
      expect(created, `${doc.kind}/${doc.metadata.name}`).toEqual(doc);
    }
  });
});

describe('the infra:render command', () => {
  it('fills the stack outputs in with --values and --image-tag, leaving no placeholder', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'render-'));
    const values: RenderValuesFile = {
      images: { web: 'r/web', worker: 'r/worker', inference: 'r/inference', trainer: 'r/trainer' },
      roles: { controlPlane: 'arn:aws:iam::1:role/cp', inference: 'arn:aws:iam::1:role/inf', sagemakerExecution: 'arn:aws:iam::1:role/sm' },
      artifactsBucket: 'bucket', domain: 'p.example.com', apiDomain: 'api.p.example.com', certificateArn: 'arn:cert', albSecurityGroupId: 'sg-1',
      adminEmail: 'a@example.com', alarmTopicArn: 'arn:topic',
    };
    fs.writeFileSync(path.join(dir, 'values.json'), JSON.stringify(values));
    execFileSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['infra/render.ts', '--stack', 'prod', '--out', path.join(dir, 'out'), '--values', path.join(dir, 'values.json'), '--image-tag', 'v7'], { cwd: ROOT });
    const text = fs.readdirSync(path.join(dir, 'out')).map((f) => fs.readFileSync(path.join(dir, 'out', f), 'utf8')).join('\n');
    expect(text).not.toContain('${');
    expect(text).toContain('image: r/inference:v7');
    expect(text).toMatch(/minReplicas: 2\n/);
    // The same objects as valuesFromStackOutput gives the Pulumi-free renderer.
    expect(renderManifests(valuesFromStackOutput(STACKS.prod, values, 'v7'), '').size).toBe(6);
  });

  it('refuses an unknown stack, naming the usage', () => {
    expect(() => execFileSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['infra/render.ts', '--stack', 'staging', '--out', '/tmp/x'], { cwd: ROOT, stdio: 'pipe' })).toThrow(/usage: npm run -s infra:render/);
  });
});
