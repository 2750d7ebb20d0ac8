import 'server-only';
import type { Command } from 'commander';
import { describeEvaluation } from '@/lib/alerts';
import { evaluateAlertsNow } from '@/server/services/alerts/evaluate-alerts-now';
import { listOpenAlerts } from '@/server/services/alerts/read-alerts';
import { collectMonitoring } from '@/server/services/monitoring/collect-monitoring';
import { withRuntime } from '../command';
import { printJson } from '../output';
import { note } from '../runtime';

export function registerAlerts(program: Command) {
  const alerts = program.command('alerts').description('alert rules: evaluate them now (the worker does it every minute)');

  alerts
    .command('evaluate')
    .description('evaluate every enabled rule now: fire and resolve alerts (with their webhooks), as the worker does each minute; audited')
    .option('--no-collect', 'do not scrape and ingest first (by default the latest counters and telemetry are collected, as the worker does every 15 s)')
    .option('--json', 'print JSON: evaluated, fired, resolved, no_data, failed, notify_failed, the rule ids that changed and the open alerts')
    .action((o: { collect: boolean; json?: boolean }) =>
      withRuntime(Boolean(o.json), async (rt) => {
        if (o.collect) {
          const { scrape } = await collectMonitoring(rt.ctx, { scope: 'recent', retentionDays: rt.env.MONITORING_RETENTION_DAYS });
          for (const f of scrape.failed) note(`could not scrape ${f.instanceId}: ${f.error}`);
        }
        const s = await evaluateAlertsNow(rt.ctx);
        const open = await listOpenAlerts(rt.ctx);
        if (o.json) {
          return printJson({
            evaluated: s.evaluated, fired: s.fired, resolved: s.resolved, no_data: s.noData, failed: s.failed, notify_failed: s.notifyFailed,
            fired_rule_ids: s.result.fired, resolved_rule_ids: s.result.resolved, failures: s.result.failed,
            open: open.map((e) => ({ id: e.id, rule_id: e.ruleId, rule: e.ruleName, deployment: e.deployment, value: e.value, message: e.message, fired_at: e.firedAt })),
          });
        }
        console.log(describeEvaluation(s));
        for (const f of s.result.failed) console.log(`  could not evaluate rule ${f.ruleId}: ${f.error}`);
        console.log(open.length ? `Firing now (${open.length}):` : 'No alert is firing.');
        for (const e of open) console.log(`  ${e.message} — since ${e.firedAt}`);
      }),
    );
}
