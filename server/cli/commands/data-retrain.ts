import 'server-only';
import type { Command } from 'commander';
import { RETRAIN_STATUS_LABELS, type RetrainSettingView, type RetrainTriggerView } from '@/lib/retrain';
import { AppError } from '@/server/errors';
import { getRetrainSetting } from '@/server/services/retrain/read-retrain-setting';
import { updateRetrainSetting } from '@/server/services/retrain/update-retrain-setting';
import { withRuntime } from '../command';
import { printJson } from '../output';

type RetrainFlags = { dataset: string; on?: boolean; off?: boolean; fromRun?: string; fromDeployment?: string; candidateFor?: string; json?: boolean };

/** The service names its fields as the API does; here they are the options. */
const OPTION_OF: Record<string, string> = { fromRun: '--from-run', fromDeployment: '--from-deployment', candidateFor: '--candidate-for', enabled: '--on/--off' };

function asOptions(error: unknown): never {
  if (!(error instanceof AppError) || !error.details?.fields) throw error;
  const message = error.message.replace(/^(fromRun|fromDeployment|candidateFor|enabled):/, (_m, f: string) => `${OPTION_OF[f]}:`);
  throw new AppError(error.code, message, { fields: error.details.fields.map((f) => ({ ...f, field: OPTION_OF[f.field] ?? f.field })) });
}

export function describeTrigger(t: RetrainTriggerView): string {
  const parts = [`v${t.datasetVersion.version} → ${RETRAIN_STATUS_LABELS[t.status]}`];
  if (t.run) parts.push(`run #${t.run.number} ${t.run.status}`);
  if (t.model) parts.push(`${t.model.name} v${t.model.version} ${t.model.status}, ${t.model.gatesPassed ? 'all KPI gates passed' : `failed gates: ${t.model.failedGates.join(', ')}`}`);
  if (t.message && !t.model) parts.push(t.message);
  return parts.join(' · ');
}

function print(view: RetrainSettingView) {
  const t = view.template;
  console.log(`Retrain ${view.dataset} when a new version arrives: ${view.enabled ? 'on' : 'off'}`);
  if (t) {
    const from = t.sourceRun ? `run #${t.sourceRun.number} (${t.sourceRun.name}, ${t.sourceRun.dataset})` : 'a run since removed';
    console.log(`  template   ${t.algorithm}, seed ${t.seed}, copied from ${t.source === 'deployment' ? 'the model serving a deployment, ' : ''}${from}`);
    console.log(`  params     ${Object.entries(t.params).map(([k, v]) => `${k}=${String(v)}`).join(' ')}`);
  }
  if (view.candidateFor) console.log(`  candidate  for ${view.candidateFor}`);
  if (view.enabled) console.log(`  owner      ${view.owner ?? 'set from the CLI (no user)'} · versions ready since ${view.enabledAt} are retrained`);
  console.log(view.recent.length ? `  retrains   ${view.recent.map(describeTrigger).join('\n             ')}` : '  retrains   none yet');
  console.log('  Retrained versions wait for an approver: nothing is approved or deployed automatically.');
}

export function registerDataRetrain(data: Command) {
  data
    .command('retrain')
    .description('show or change "retrain when a new version arrives" for a dataset (registered for manual approval, never approved automatically)')
    .requiredOption('--dataset <name>', 'the dataset')
    .option('--on', 'turn it on (with --from-run or --from-deployment the first time; later the stored template is reused)')
    .option('--off', 'turn it off (the template is kept)')
    .option('--from-run <id>', 'copy algorithm, parameters and seed from this succeeded run (id or number)')
    .option('--from-deployment <name>', 'copy them from the model serving this deployment (e.g. production)')
    .option('--candidate-for <deployment>', 'the deployment whose model a retrained version may replace ("none" clears it)')
    .option('--json', 'print the setting as JSON')
    .addHelpText('after', '\nExamples:\n  npm run -s mlops -- data retrain --dataset dunnhumby --on --from-run 12 --candidate-for production\n  npm run -s mlops -- data retrain --dataset dunnhumby --on --from-deployment production --json\n  npm run -s mlops -- data retrain --dataset dunnhumby --off')
    .action((o: RetrainFlags) =>
      withRuntime(Boolean(o.json), async (rt) => {
        if (o.on && o.off) throw new AppError('VALIDATION', '--on and --off: choose one.');
        const changing = o.fromRun !== undefined || o.fromDeployment !== undefined || o.candidateFor !== undefined;
        if (changing && !o.on) throw new AppError('VALIDATION', '--from-run, --from-deployment and --candidate-for go with --on.');
        const view = o.on || o.off
          ? await updateRetrainSetting(rt.ctx, o.dataset, {
              enabled: Boolean(o.on),
              ...(o.fromRun !== undefined ? { fromRun: o.fromRun } : {}),
              ...(o.fromDeployment !== undefined ? { fromDeployment: o.fromDeployment } : {}),
              ...(o.candidateFor !== undefined ? { candidateFor: o.candidateFor === 'none' ? null : o.candidateFor } : {}),
            }).catch(asOptions)
          : await getRetrainSetting(rt.ctx, o.dataset);
        if (o.json) printJson(view);
        else print(view);
      }),
    );
}
