import 'server-only';
import type { Command } from 'commander';
import { collectMonitoring } from '@/server/services/monitoring/collect-monitoring';
import { getDeploymentMetrics } from '@/server/services/monitoring/read-metrics';
import { withRuntime } from '../command';
import { printJson } from '../output';
import { note } from '../runtime';

const fmt = (v: number | null, unit = '', digits = 1) => (v === null ? '—' : `${v.toFixed(digits)}${unit}`);
const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(2)}%`);

export function registerMetrics(program: Command) {
  program
    .command('metrics')
    .description("a deployment's monitoring summary: requests, errors, latency percentiles, live accuracy")
    .option('--deployment <name>', 'deployment name', 'production')
    .option('--range <range>', '1h, 24h, 7d or 30d', '1h')
    .option('--from <iso>', 'start of a custom range (ISO date-time; instead of --range)')
    .option('--to <iso>', 'end of a custom range (default: now)')
    .option('--no-collect', 'do not scrape and ingest first (by default the latest counters and telemetry are collected, as the worker does every 15 s; with TELEMETRY_BACKEND=cloudwatch only telemetry: the counters are read from CloudWatch)')
    .option('--series', 'with --json: include the time series and version markers')
    .option('--json', 'print JSON: requests, errors, error_rate, p50_ms, p95_ms, p99_ms, rps, live_accuracy, live_macro_f1, labelled, offline …')
    .action((o: { deployment: string; range: string; from?: string; to?: string; collect: boolean; series?: boolean; json?: boolean }) =>
      withRuntime(Boolean(o.json), async (rt) => {
        if (o.collect) {
          const { scrape } = await collectMonitoring(rt.ctx, { deployment: o.deployment, scope: 'days', retentionDays: rt.env.MONITORING_RETENTION_DAYS });
          for (const f of scrape.failed) note(`could not scrape ${f.instanceId}: ${f.error}`);
        }
        const m = await getDeploymentMetrics(rt.ctx, { deployment: o.deployment, ...(o.from ? { from: o.from, ...(o.to ? { to: o.to } : {}) } : { range: o.range }) });
        if (o.json) {
          // The summary by default; the series (hundreds of points) only when asked for.
          const { series, markers, latency_buckets_ms: buckets, ...summary } = m;
          return printJson(o.series ? { ...summary, series, markers, latency_buckets_ms: buckets } : summary);
        }
        console.log(`${m.deployment}, ${m.range.label === 'custom' ? `${m.range.from} → ${m.range.to}` : `last ${m.range.label}`} (traffic from ${m.source.kind === 'cloudwatch' ? m.source.detail : `the ${m.source.label}`})`);
        if (m.empty.traffic) console.log(`  ${m.empty.traffic}`);
        else {
          console.log(`  requests ${m.requests} (${fmt(m.rps, '/s', 2)} on average), errors ${m.errors} (${pct(m.error_rate)})`);
          console.log(m.empty.latency ? `  ${m.empty.latency}` : `  latency p50 ${fmt(m.p50_ms, ' ms', 2)}, p95 ${fmt(m.p95_ms, ' ms', 2)}, p99 ${fmt(m.p99_ms, ' ms', 2)}`);
        }
        const offline = m.offline ? ` (offline v${m.offline.version}: accuracy ${pct(m.offline.accuracy)}, macro F1 ${pct(m.offline.macro_f1)})` : '';
        console.log(m.empty.feedback ? `  ${m.empty.feedback}` : `  live accuracy ${pct(m.live_accuracy)}, macro F1 ${pct(m.live_macro_f1)} on ${m.labelled} labelled predictions${offline}`);
      }),
    );
}
