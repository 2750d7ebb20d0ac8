import 'server-only';
import type { Command } from 'commander';
import { APPROVAL_LABELS } from '@/lib/models';
import { AppError } from '@/server/errors';
import type { Actor } from '@/server/services/context';
import { decideModel } from '@/server/services/models/decide-model';
import { getGateThresholds, updateGateThresholds } from '@/server/services/models/kpi-gate-settings';
import { getModel, listModels } from '@/server/services/models/read-models';
import { registerModel } from '@/server/services/models/register-model';
import { withRuntime } from '../command';
import { printJson, table } from '../output';
import { note, type CliRuntime } from '../runtime';

const fixed = (v: number | null | undefined) => (v === null || v === undefined ? '' : v.toFixed(4));

/**
 * Approvals are personal: the CLI acts as a named user (--as), so the four-eyes
 * rule and the timeline hold. Whoever runs the CLI already has the database, so
 * this names a person rather than proving who they are.
 */
async function actAs(rt: CliRuntime, email: string): Promise<Actor> {
  const user = await rt.db.user.findUnique({ where: { email: email.trim().toLowerCase() }, select: { id: true, email: true, name: true, role: true, isActive: true } });
  if (!user) throw new AppError('NOT_FOUND', `No user with email ${email}; --as names the approver making the decision.`);
  if (!user.isActive) throw new AppError('FORBIDDEN', `${user.email} is deactivated.`);
  return { kind: 'user', userId: user.id, email: user.email, name: user.name, role: user.role };
}

function parseThreshold(name: string, value: string | undefined) {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new AppError('VALIDATION', `${name} must be a number between 0 and 1 (got "${value}")`);
  return n;
}

export function registerModels(program: Command) {
  const models = program.command('models').description('model registry: register runs, KPI gates, approve or reject');

  models
    .command('list')
    .description('registered model versions, newest first')
    .option('--status <status>', 'PendingManualApproval | Approved | Rejected')
    .option('--json', 'print JSON')
    .action((o: { status?: string; json?: boolean }) =>
      withRuntime(Boolean(o.json), async (rt) => {
        const result = await listModels(rt.ctx, { status: o.status, pageSize: 200 });
        if (o.json) return printJson(result);
        console.log(table(result.models.map((m) => ({
          version: `v${m.version}`, id: m.id, status: APPROVAL_LABELS[m.status], gates: m.gatesPassed ? 'pass' : `fail: ${m.gateResults.filter((g) => !g.passed).map((g) => g.gate).join(',')}`,
          accuracy: fixed(m.accuracy), macro_f1: fixed(m.macroF1), algorithm: m.algorithm, run: `#${m.run.number}`, serving: m.deployments.map((d) => d.name).join(','),
        })), ['version', 'id', 'status', 'gates', 'accuracy', 'macro_f1', 'algorithm', 'run', 'serving']));
      }),
    );

  models
    .command('show')
    .description('one version: lineage, KPI gates, approval timeline, deployments')
    .argument('<version>', 'version id, v3 or 3')
    .option('--json', 'print JSON')
    .action((ref: string, o: { json?: boolean }) =>
      withRuntime(Boolean(o.json), async (rt) => {
        const m = await getModel(rt.ctx, ref);
        if (o.json) return printJson(m);
        console.log(`${m.modelName} v${m.version} (${m.id}) — ${APPROVAL_LABELS[m.status]}`);
        console.log(`  run        #${m.run.number} ${m.run.name} by ${m.run.createdBy?.email ?? 'system'}\n  dataset    ${m.datasetVersion.dataset.name} v${m.datasetVersion.version} (hash ${m.datasetHash.slice(0, 16)})\n  algorithm  ${m.algorithm} ${JSON.stringify(m.params)}\n  artifact   ${m.artifactUri}\n  sha256     ${m.artifactSha256}\n  code       ${m.codeVersion ?? 'unknown'}`);
        if (m.externalArn) console.log(`  SageMaker  ${m.externalArn}`);
        if (m.externalError) console.log(`  SageMaker  not mirrored: ${m.externalError}`);
        console.log('  KPI gates:');
        for (const g of m.gateResults) console.log(`    ${g.passed ? 'pass' : 'FAIL'}  ${g.label.padEnd(24)} ${fixed(g.value).padStart(7)} (≥ ${g.threshold})`);
        console.log('  timeline:');
        const events = [
          ...m.transitions.map((t) => ({ at: t.at, text: `${t.fromStatus ? APPROVAL_LABELS[t.toStatus].toLowerCase() : 'registered'} by ${t.actorLabel}${t.isOverride ? ' (gate override)' : ''}${t.comment ? `: ${t.comment.replace(/\n/g, ' ')}` : ''}` })),
          ...m.deploymentEvents.map((e) => ({ at: e.startedAt, text: `${e.action === 'rollback' ? 'rolled back to' : 'deployed'} on ${e.deployment.name} by ${e.actorLabel}${e.endedAt ? ` (until ${e.endedAt.toISOString()})` : ' (serving)'}` })),
        ].sort((a, b) => a.at.getTime() - b.at.getTime());
        for (const e of events) console.log(`    ${e.at.toISOString().replace('T', ' ').slice(0, 19)}  ${e.text}`);
      }),
    );

  models
    .command('register')
    .description('register a succeeded run as the next model version (KPI gates are checked now)')
    .requiredOption('--run <id>', 'run id or number')
    .option('--comment <text>', 'why this version is proposed')
    .option('--json', 'print JSON')
    .action((o: { run: string; comment?: string; json?: boolean }) =>
      withRuntime(Boolean(o.json), async (rt) => {
        const m = await registerModel(rt.ctx, { runId: o.run.replace(/^#/, ''), ...(o.comment ? { comment: o.comment } : {}) });
        if (o.json) return printJson(m);
        console.log(`registered run #${m.runNumber} as ${m.modelName} v${m.version} (${m.id}): ${m.gatesPassed ? 'all KPI gates pass' : `fails ${m.gateResults.filter((g) => !g.passed).map((g) => g.label).join(', ')}`}; pending approval`);
        if (m.mirror.mirrored) note(`mirrored to SageMaker: ${m.mirror.arn}`);
        else if (m.mirror.reason === 'failed') note(`warning: not mirrored to SageMaker: ${m.mirror.error}`);
      }),
    );

  for (const decision of ['approve', 'reject'] as const) {
    models
      .command(decision)
      .description(`${decision} a pending version, as a named approver (four-eyes: not the model's trainer)`)
      .argument('<version>', 'version id, v3 or 3')
      .requiredOption('--as <email>', 'the approver (or admin) deciding')
      .requiredOption('--comment <text>', 'why')
      .option('--override <reason>', decision === 'approve' ? 'required to approve a version that fails a KPI gate: the written reason' : '(approve only)')
      .option('--json', 'print JSON')
      .action((ref: string, o: { as: string; comment: string; override?: string; json?: boolean }) =>
        withRuntime(Boolean(o.json), async (rt) => {
          const ctx = { ...rt.ctx, actor: await actAs(rt, o.as) };
          const result = await decideModel(ctx, ref, { decision, comment: o.comment, ...(o.override ? { overrideReason: o.override } : {}) });
          if (o.json) return printJson(result);
          console.log(`${result.modelName} v${result.version} ${result.status === 'Approved' ? 'approved' : 'rejected'}${result.override ? ' (KPI gate override recorded)' : ''}`);
        }),
      );
  }

  models
    .command('gates')
    .description('show the KPI gate thresholds, or change them (--accuracy/--macro-f1/--min-precision)')
    .option('--accuracy <x>', 'minimum accuracy (0..1)')
    .option('--macro-f1 <x>', 'minimum macro F1 (0..1)')
    .option('--min-precision <x>', 'minimum precision of every class (0..1)')
    .option('--json', 'print JSON')
    .action((o: { accuracy?: string; macroF1?: string; minPrecision?: string; json?: boolean }) =>
      withRuntime(Boolean(o.json), async (rt) => {
        const change = { accuracy: parseThreshold('--accuracy', o.accuracy), macroF1: parseThreshold('--macro-f1', o.macroF1), minClassPrecision: parseThreshold('--min-precision', o.minPrecision) };
        const set = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined));
        const thresholds = Object.keys(set).length ? await updateGateThresholds(rt.ctx, set) : (await getGateThresholds(rt.ctx)).thresholds;
        if (o.json) return printJson(thresholds);
        console.log(`KPI gates: accuracy ≥ ${thresholds.accuracy}, macro F1 ≥ ${thresholds.macroF1}, every class precision ≥ ${thresholds.minClassPrecision}`);
      }),
    );
}
