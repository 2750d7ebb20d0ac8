import 'server-only';
import { CostExplorerClient, GetCostAndUsageCommand, type GetCostAndUsageCommandInput, type ResultByTime } from '@aws-sdk/client-cost-explorer';
import { addDays, type CostComponentName } from '@/lib/costs';
import { CostSourceError, type CostLine, type CostSourcePort, type DayUsage } from './port';

export type CostExplorerOptions = {
  /** Cost-allocation tag that marks the project's resources (COST_TAG_KEY / COST_TAG_VALUE). */
  tagKey: string;
  tagValue: string;
  /** A Cost Explorer-compatible endpoint (moto); omit for AWS. */
  endpoint?: string;
  /** Omit to use the SDK's default chain (env vars, profile, instance/IRSA role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Default 6 h: each request costs $0.01 and AWS refreshes the data about three times a day. */
  refreshMs?: number;
  requestTimeoutMs?: number;
};

/** The metric asked for: what was charged, before credits and discounts are shared out across an organisation. */
export const COST_METRIC = 'UnblendedCost';
export const DEFAULT_REFRESH_MS = 6 * 3_600_000;

/**
 * Cost Explorer's SERVICE names → our components. Node hours count as inference
 * (the bill does not say which pods a node ran); NAT gateways, EBS and public IPv4
 * ("EC2 - Other", VPC) belong to the always-on control plane; anything unlisted too.
 */
export const SERVICE_COMPONENTS: Record<string, CostComponentName> = {
  'Amazon SageMaker': 'training',
  'Amazon Elastic Compute Cloud - Compute': 'inference',
  'Amazon Simple Storage Service': 'storage',
  'Amazon EC2 Container Registry (ECR)': 'storage',
  'AWS Data Transfer': 'data_transfer',
  'Amazon Elastic Kubernetes Service': 'control_plane',
  'EC2 - Other': 'control_plane',
  'Amazon Virtual Private Cloud': 'control_plane',
  'Amazon Elastic Load Balancing': 'control_plane',
  'Amazon Relational Database Service': 'control_plane',
  AmazonCloudWatch: 'control_plane',
  'AWS Key Management Service': 'control_plane',
};

export const componentOfService = (service: string): CostComponentName => SERVICE_COMPONENTS[service] ?? 'control_plane';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
type SdkError = Error & { code?: string; $metadata?: { httpStatusCode?: number }; cause?: { code?: string } };

const HINTS: Record<string, string> = {
  AccessDeniedException: 'the role needs ce:GetCostAndUsage, and Cost Explorer must be enabled for the account',
  DataUnavailableException: 'Cost Explorer has no data for these days yet (it can take 24 hours after it is enabled)',
  LimitExceededException: 'too many Cost Explorer requests; the next refresh will try again',
  BillExpirationException: 'these days are older than the bill Cost Explorer keeps',
};

/**
 * The AWS bill, through GetCostAndUsage: daily UnblendedCost grouped by SERVICE
 * and by the project's cost-allocation tag. Only groups whose tag has the
 * project's value count; spend without the tag is reported per day as
 * `untaggedUsd` (a sign of resources someone forgot to tag), other projects' is
 * left out.
 */
export function createCostExplorerSource(opts: CostExplorerOptions): CostSourcePort & { client: CostExplorerClient } {
  // Cost Explorer has one endpoint, in us-east-1, for every region's costs.
  const client = new CostExplorerClient({
    region: 'us-east-1', endpoint: opts.endpoint, credentials: opts.credentials, maxAttempts: 3,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: opts.requestTimeoutMs ?? 30_000 },
  });
  const api = opts.endpoint ?? 'Cost Explorer (us-east-1)';
  const projectKey = `${opts.tagKey}$${opts.tagValue}`;
  const untaggedKey = `${opts.tagKey}$`;

  const fail = (range: string, error: unknown): CostSourceError => {
    const e = error as SdkError;
    const status = e.$metadata?.httpStatusCode;
    if (!status && (NETWORK_CODES.has(e.code ?? '') || NETWORK_CODES.has(e.cause?.code ?? '') || e.name === 'TimeoutError')) {
      return new CostSourceError(`Cost Explorer GetCostAndUsage failed for ${range}: could not reach ${api} (${e.cause?.code ?? e.code ?? e.name}).`, 'GetCostAndUsage', 'unreachable');
    }
    const hint = HINTS[e.name] ? ` — ${HINTS[e.name]}` : '';
    return new CostSourceError(`Cost Explorer GetCostAndUsage failed for ${range}: ${e.name}${status ? ` (HTTP ${status})` : ''}: ${e.message}${hint}`, 'GetCostAndUsage');
  };

  async function fetchResults(start: string, end: string): Promise<ResultByTime[]> {
    const range = `${start} – ${addDays(end, -1)}`;
    const results: ResultByTime[] = [];
    let token: string | undefined;
    do {
      const input: GetCostAndUsageCommandInput = {
        TimePeriod: { Start: start, End: end },
        Granularity: 'DAILY',
        Metrics: [COST_METRIC],
        GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }, { Type: 'TAG', Key: opts.tagKey }],
        ...(token ? { NextPageToken: token } : {}),
      };
      try {
        const out = await client.send(new GetCostAndUsageCommand(input));
        results.push(...(out.ResultsByTime ?? []));
        token = out.NextPageToken || undefined;
      } catch (error) {
        throw fail(range, error);
      }
    } while (token);
    return results;
  }

  function toLines(results: ResultByTime[], wanted: ReadonlySet<string>): CostLine[] {
    const byDay = new Map<string, { components: Map<CostComponentName, { usd: number; services: Record<string, number> }>; untaggedUsd: number; estimated: boolean }>();
    for (const result of results) {
      const day = result.TimePeriod?.Start;
      if (!day || !wanted.has(day)) continue;
      const entry = byDay.get(day) ?? { components: new Map(), untaggedUsd: 0, estimated: false };
      entry.estimated ||= Boolean(result.Estimated);
      for (const group of result.Groups ?? []) {
        const [service = 'unknown', tag = ''] = group.Keys ?? [];
        const metric = group.Metrics?.[COST_METRIC];
        const amount = Number(metric?.Amount ?? 0);
        if (!Number.isFinite(amount) || amount === 0) continue;
        if (metric?.Unit && metric.Unit !== 'USD') {
          throw new CostSourceError(`Cost Explorer answered in ${metric.Unit} for ${day}; the platform counts in USD (set the billing currency to USD, or convert before budgeting).`, 'GetCostAndUsage');
        }
        if (tag === untaggedKey) {
          entry.untaggedUsd += amount;
          continue;
        }
        if (tag !== projectKey) continue;
        const component = componentOfService(service);
        const c = entry.components.get(component) ?? { usd: 0, services: {} };
        c.usd += amount;
        c.services[service] = (c.services[service] ?? 0) + amount;
        entry.components.set(component, c);
      }
      byDay.set(day, entry);
    }
    const lines: CostLine[] = [];
    for (const [day, entry] of [...byDay].sort(([a], [b]) => a.localeCompare(b))) {
      for (const [component, c] of entry.components) {
        lines.push({
          day, component, amountUsd: Math.round(c.usd * 1e6) / 1e6,
          details: { services: c.services, estimated: entry.estimated, tag: `${opts.tagKey}=${opts.tagValue}`, untaggedUsd: Math.round(entry.untaggedUsd * 1e6) / 1e6 },
        });
      }
    }
    return lines;
  }

  return {
    kind: 'cost_explorer',
    where: `AWS Cost Explorer${opts.endpoint ? ` at ${opts.endpoint}` : ''}, resources tagged ${opts.tagKey}=${opts.tagValue}`,
    refreshMs: opts.refreshMs ?? DEFAULT_REFRESH_MS,
    client,
    async dailyCosts(days: DayUsage[]) {
      if (!days.length) return [];
      const sorted = days.map((d) => d.day).sort();
      // One request (plus pages) for the whole span: each request is billed.
      const results = await fetchResults(sorted[0]!, addDays(sorted[sorted.length - 1]!, 1));
      return toLines(results, new Set(sorted));
    },
  };
}
