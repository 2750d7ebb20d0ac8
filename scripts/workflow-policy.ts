/**
 * The project's rules for GitHub Actions workflows, as plain functions over a
 * parsed workflow (the `yaml` package) and its text: pinned actions, AWS only
 * through OIDC role assumption with `id-token: write` where it is used, least
 * privilege, deploys only from main or a dispatched, environment-protected job,
 * and no expression interpolated into a shell script where it could inject.
 * Used by scripts/workflow-policy.test.ts on .github/workflows/*.yml.
 */

type Permissions = string | Record<string, string> | undefined;
export type Step = { name?: string; id?: string; uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, unknown>; if?: string };
export type Job = { name?: string; if?: string; needs?: string | string[]; permissions?: Permissions; environment?: string | { name: string }; steps?: Step[]; uses?: string; env?: Record<string, unknown>; strategy?: { matrix?: Record<string, unknown> } };
export type Workflow = { name?: string; on?: unknown; permissions?: Permissions; env?: Record<string, unknown>; jobs?: Record<string, Job> };

const PINNED = /^[\w.-]+\/[\w./-]+@(v\d+\.\d+\.\d+|[0-9a-f]{40})$/;
const STATIC_AWS_KEYS = /AWS_SECRET_ACCESS_KEY|AWS_ACCESS_KEY_ID|AWS_SESSION_TOKEN|aws-secret-access-key|aws-access-key-id/;
/** Contexts an outsider can set (a PR title, a dispatch input, a branch name): never spliced into a script. */
const UNTRUSTED_IN_RUN = /\$\{\{\s*(inputs\.|github\.event\.|github\.head_ref|vars\.)/;

export const AWS_CREDENTIALS_ACTION = 'aws-actions/configure-aws-credentials';

const actionOf = (uses: string) => uses.split('@')[0]!;

/** The triggers of a workflow, whatever form `on:` takes (string, list, map). */
export function triggersOf(wf: Workflow): string[] {
  const on = wf.on;
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.map(String);
  return on && typeof on === 'object' ? Object.keys(on) : [];
}

function permission(job: Job, wf: Workflow, scope: string): string | undefined {
  const p = job.permissions ?? wf.permissions;
  if (typeof p === 'string') return p === 'write-all' ? 'write' : p === 'read-all' ? 'read' : undefined;
  return p?.[scope];
}

/** Every rule this workflow breaks, one sentence each (empty: it follows them all). */
export function checkWorkflow(wf: Workflow, text: string): string[] {
  const problems: string[] = [];
  const jobs = Object.entries(wf.jobs ?? {});
  if (!jobs.length) problems.push('no jobs');
  if (wf.permissions === undefined) problems.push('no workflow-level permissions: declare the least the jobs need (contents: read)');
  else if (wf.permissions === 'write-all' || (typeof wf.permissions === 'object' && wf.permissions['id-token'] === 'write')) problems.push('workflow-level permissions grant writes: give id-token: write only to the jobs that assume an AWS role');
  if (STATIC_AWS_KEYS.test(text)) problems.push('AWS access keys referenced: assume a role through OIDC (role-to-assume) instead of long-lived keys');
  const dispatchOnly = triggersOf(wf).every((t) => t === 'workflow_dispatch');

  for (const [id, job] of jobs) {
    if (job.uses && !job.uses.startsWith('./') && !PINNED.test(job.uses)) problems.push(`job ${id}: reusable workflow ${job.uses} is not pinned to an exact version or commit`);
    let assumesRole = false;
    let deploys = false;
    for (const step of job.steps ?? []) {
      const where = `job ${id}, step "${step.name ?? step.uses ?? step.run?.split('\n')[0]}"`;
      if (step.uses && !step.uses.startsWith('./') && !step.uses.startsWith('docker://') && !PINNED.test(step.uses)) problems.push(`${where}: ${step.uses} is not pinned to an exact version (vX.Y.Z) or commit`);
      if (step.uses && actionOf(step.uses) === AWS_CREDENTIALS_ACTION) {
        assumesRole = true;
        if (!step.with?.['role-to-assume']) problems.push(`${where}: configure-aws-credentials without role-to-assume`);
      }
      if (step.uses && (actionOf(step.uses) === 'pulumi/actions' || actionOf(step.uses) === 'docker/build-push-action')) deploys = true;
      if (step.run && /pipeline deploy|pipeline train/.test(step.run)) deploys = true;
      if (step.run && UNTRUSTED_IN_RUN.test(step.run)) problems.push(`${where}: an expression is spliced into the script; pass it through env: and use "$NAME"`);
    }
    if (assumesRole && permission(job, wf, 'id-token') !== 'write') problems.push(`job ${id}: assumes an AWS role without permissions id-token: write`);
    if (deploys && !dispatchOnly && !/refs\/heads\/main/.test(job.if ?? '')) problems.push(`job ${id}: pushes or deploys without being limited to main (if: github.ref == 'refs/heads/main')`);
    if (deploys && dispatchOnly && !job.environment) problems.push(`job ${id}: a dispatched deploy without an environment (its protection rules are the approval gate)`);
  }
  return problems;
}

/** Every `uses:` of a workflow, for inventories and tests. */
export function actionsOf(wf: Workflow): string[] {
  return Object.values(wf.jobs ?? {}).flatMap((j) => [...(j.uses ? [j.uses] : []), ...(j.steps ?? []).flatMap((s) => (s.uses ? [s.uses] : []))]);
}

/** `secrets.NAME` references in the text. */
export function secretsOf(text: string): string[] {
  return [...new Set([...text.matchAll(/secrets\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!))].sort();
}
