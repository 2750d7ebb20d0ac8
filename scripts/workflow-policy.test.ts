import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { actionsOf, checkWorkflow, secretsOf, triggersOf, type Job, type Workflow } from './workflow-policy';

const ROOT = path.resolve(import.meta.dirname, '..');
const WORKFLOWS = path.join(ROOT, '.github', 'workflows');
const read = (name: string) => fs.readFileSync(path.join(WORKFLOWS, name), 'utf8');
const load = (name: string) => parse(read(name)) as Workflow;
const runs = (job: Job | undefined) => (job?.steps ?? []).map((s) => s.run ?? '').join('\n');
const uses = (job: Job | undefined) => (job?.steps ?? []).map((s) => s.uses ?? '');

describe('.github/workflows', () => {
  const files = fs.readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f)).sort();

  it('are the CI workflow and the model deploy workflow', () => {
    expect(files).toEqual(['ci.yml', 'deploy-model.yml']);
  });

  it.each(files)('%s: pinned actions, OIDC only, least privilege, deploys from main or a protected dispatch, no script injection', (file) => {
    expect(checkWorkflow(load(file), read(file))).toEqual([]);
  });

  it.each(files)('%s: uses only the documented secrets (never AWS keys)', (file) => {
    expect(secretsOf(read(file)).filter((s) => !['MLOPS_API_KEY', 'MLOPS_PREDICT_KEY', 'PULUMI_ACCESS_TOKEN', 'PULUMI_CONFIG_PASSPHRASE'].includes(s))).toEqual([]);
  });
});

describe('ci.yml', () => {
  const wf = load('ci.yml');
  const jobs = wf.jobs ?? {};

  it('runs on every push and pull request', () => {
    expect(triggersOf(wf)).toEqual(expect.arrayContaining(['push', 'pull_request']));
  });

  it('installs what .ci/run installs, then typechecks, lints, tests, builds Next and bundles inference', () => {
    const script = runs(jobs.test);
    for (const command of ['apt-get install -y -qq chromium', "pip install --quiet 'moto[server]==5.*'", 'npm ci', 'npm run typecheck', 'npm run lint', 'npm run test:unit', 'npm run test:int', 'npm run build', 'node inference/build.mjs', 'npm run test:e2e']) {
      expect(script, command).toContain(command);
    }
    expect(jobs.test?.if).toBeUndefined();
  });

  it('builds and pushes every Dockerfile of the repository to ECR through an assumed role', () => {
    const images = jobs.images!;
    const matrix = (images.strategy?.matrix?.include as { image: string; dockerfile: string }[]).map((m) => m.dockerfile).sort();
    expect(matrix).toEqual(['docker/web.Dockerfile', 'docker/worker.Dockerfile', 'inference/Dockerfile', 'trainer/Dockerfile']);
    for (const file of matrix) expect(fs.existsSync(path.join(ROOT, file)), file).toBe(true);
    expect(images.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    const aws = images.steps!.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'))!;
    expect(aws.with).toMatchObject({ 'role-to-assume': '${{ vars.AWS_DEPLOY_ROLE_ARN }}' });
    expect(uses(images)).toEqual(expect.arrayContaining([expect.stringMatching(/^aws-actions\/amazon-ecr-login@/), expect.stringMatching(/^docker\/build-push-action@/)]));
    expect(JSON.stringify(images.steps)).toContain('GIT_SHA=${{ github.sha }}');
  });

  it('then runs pulumi up on the stack with the pushed image tag, then trains and registers through the control plane API', () => {
    expect(jobs.infra?.needs).toBe('images');
    const pulumi = jobs.infra!.steps!.find((s) => s.uses?.startsWith('pulumi/actions@'))!;
    expect(pulumi.with).toMatchObject({ command: 'up', 'work-dir': 'infra' });
    expect(String(pulumi.with?.['config-map'])).toContain('pricesense:imageTag: {value: ${{ github.sha }}');
    expect(fs.readFileSync(path.join(ROOT, 'infra', 'Pulumi.yaml'), 'utf8')).toMatch(/^name: pricesense$/m);
    expect(jobs.train?.needs).toBe('infra');
    expect(runs(jobs.train)).toMatch(/npm run -s mlops -- pipeline train --dataset "\$DATASET" .*--wait --register/);
    expect(jobs.train?.env).toMatchObject({ MLOPS_API_KEY: '${{ secrets.MLOPS_API_KEY }}' });
    for (const id of ['images', 'infra', 'train']) expect(jobs[id]?.if, id).toMatch(/github\.ref == 'refs\/heads\/main' && vars\.AWS_DEPLOY_ROLE_ARN != ''/);
  });
});

describe('deploy-model.yml', () => {
  const wf = load('deploy-model.yml');
  const deploy = wf.jobs?.deploy;

  it('is dispatched by hand with the approved model, in the protected environment, and deploys with smoke checks and rollback', () => {
    expect(triggersOf(wf)).toEqual(['workflow_dispatch']);
    expect((wf.on as { workflow_dispatch: { inputs: Record<string, { required?: boolean }> } }).workflow_dispatch.inputs.model?.required).toBe(true);
    expect(deploy?.environment).toBeTruthy();
    expect(runs(deploy)).toMatch(/npm run -s mlops -- pipeline deploy --model "\$MODEL" --deployment "\$DEPLOYMENT" --smoke "\$SMOKE"/);
    expect(deploy?.env).toMatchObject({ MODEL: '${{ inputs.model }}' });
  });
});

describe('checkWorkflow', () => {
  const good = (): Workflow => ({
    on: { push: null },
    permissions: { contents: 'read' },
    jobs: {
      images: {
        if: "github.ref == 'refs/heads/main'",
        permissions: { contents: 'read', 'id-token': 'write' },
        steps: [
          { uses: 'actions/checkout@v4.2.2' },
          { uses: 'aws-actions/configure-aws-credentials@v4.3.1', with: { 'role-to-assume': 'arn:aws:iam::123456789012:role/deploy', 'aws-region': 'eu-west-1' } },
          { uses: 'docker/build-push-action@v6.18.0', with: { push: true } },
        ],
      },
    },
  });
  const text = 'name: x';

  it('accepts a workflow that follows every rule', () => {
    expect(checkWorkflow(good(), text)).toEqual([]);
    expect(actionsOf(good())).toHaveLength(3);
  });

  it.each([
    ['a floating action tag', (w: Workflow) => (w.jobs!.images!.steps![0]!.uses = 'actions/checkout@v4'), /actions\/checkout@v4 is not pinned/],
    ['a branch reference', (w: Workflow) => (w.jobs!.images!.steps![0]!.uses = 'actions/checkout@main'), /is not pinned/],
    ['no role to assume', (w: Workflow) => delete w.jobs!.images!.steps![1]!.with!['role-to-assume'], /without role-to-assume/],
    ['no id-token permission', (w: Workflow) => (w.jobs!.images!.permissions = { contents: 'read' }), /without permissions id-token: write/],
    ['id-token for every job', (w: Workflow) => (w.permissions = { contents: 'read', 'id-token': 'write' }), /workflow-level permissions grant writes/],
    ['no permissions at all', (w: Workflow) => delete w.permissions, /no workflow-level permissions/],
    ['a push from any branch', (w: Workflow) => delete w.jobs!.images!.if, /without being limited to main/],
    ['a dispatch input spliced into a script', (w: Workflow) => w.jobs!.images!.steps!.push({ run: 'deploy ${{ inputs.model }}' }), /spliced into the script/],
  ])('refuses %s', (_label, spoil, message) => {
    const wf = good();
    spoil(wf);
    expect(checkWorkflow(wf, text).join('\n')).toMatch(message);
  });

  it('refuses long-lived AWS keys wherever they appear', () => {
    const withKeys = 'env:\n  AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}\n';
    expect(checkWorkflow(good(), withKeys).join('\n')).toMatch(/AWS access keys referenced/);
    expect(secretsOf(withKeys)).toEqual(['AWS_SECRET_ACCESS_KEY']);
  });

  it('wants an environment on a dispatched deploy', () => {
    const wf: Workflow = { on: { workflow_dispatch: null }, permissions: { contents: 'read' }, jobs: { deploy: { steps: [{ run: 'npm run -s mlops -- pipeline deploy --model "$MODEL"' }] } } };
    expect(checkWorkflow(wf, text)).toEqual(['job deploy: a dispatched deploy without an environment (its protection rules are the approval gate)']);
    wf.jobs!.deploy!.environment = 'prod';
    expect(checkWorkflow(wf, text)).toEqual([]);
  });
});
