import 'server-only';
import { describeEvaluation, type AlertEvaluationSummary } from '@/lib/alerts';
import { recordAudit } from '../audit/record-audit';
import { assertCan, type ServiceContext } from '../context';
import { evaluateAlerts, type EvaluateOptions, type EvaluationResult } from './evaluate-alerts';

/**
 * The worker's minute evaluation, asked for now by someone who may change alert
 * rules ("Evaluate now" on the Monitoring page, `mlops alerts evaluate`): after a
 * threshold change, see at once whether the rule fires or resolves. It runs the
 * same state machine, so it cannot fire twice alongside the worker. The audit row
 * follows the evaluation rather than sharing its transaction: each rule commits
 * under its own lock and webhooks are called after commit.
 */
export async function evaluateAlertsNow(ctx: ServiceContext, opts: EvaluateOptions = {}): Promise<AlertEvaluationSummary & { result: EvaluationResult }> {
  assertCan(ctx, 'alerts:write');
  const result = await evaluateAlerts(ctx, opts);
  const summary: AlertEvaluationSummary = {
    evaluated: result.evaluated, fired: result.fired.length, resolved: result.resolved.length,
    noData: result.noData, failed: result.failed.length, notifyFailed: result.notifyFailed,
  };
  await ctx.db.$transaction((tx) =>
    recordAudit(tx, ctx, {
      action: 'alerts.evaluate', entityType: 'alert_rule',
      summary: `Alert rules evaluated on demand. ${describeEvaluation(summary)}`,
      after: { ...summary, firedRuleIds: result.fired, resolvedRuleIds: result.resolved },
    }),
  );
  return { ...summary, result };
}
