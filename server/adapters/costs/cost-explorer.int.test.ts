import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GetCostAndUsageCommandInput } from '@aws-sdk/client-cost-explorer';
import { parseEnv } from '@/server/env';
import { freePort, MOTO_CREDENTIALS, sharedMotoServer } from '@/test/moto';
import { createCostExplorerSource } from './cost-explorer';
import { createCostSource } from './index';
import { CostSourceError, type DayUsage } from './port';

// moto 5.2.1's Cost Explorer tracks no costs: GetCostAndUsage answers with results
// seeded through /moto-api/static/ce/cost-and-usage-results, one per distinct
// request (in order), and validates nothing. So these tests seed what AWS would
// answer for the adapter's request, check the request itself (captured from the
// real SDK's middleware stack), and check how the answer becomes cost lines.

const credentials = MOTO_CREDENTIALS;

const motoServer = sharedMotoServer({ beforeAll, afterAll, beforeEach });

type Group = [service: string, tag: string, amount: string, unit?: string];
const result = (day: string, next: string, groups: Group[], extra: Record<string, unknown> = {}) => ({
  TimePeriod: { Start: day, End: next },
  Total: {},
  Groups: groups.map(([service, tag, amount, unit = 'USD']) => ({ Keys: [service, tag], Metrics: { UnblendedCost: { Amount: amount, Unit: unit } } })),
  Estimated: false,
  ...extra,
});

async function seed(...responses: Record<string, unknown>[]) {
  const res = await fetch(`${motoServer().endpoint}/moto-api/static/ce/cost-and-usage-results`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ results: responses }),
  });
  expect(res.status).toBe(201);
}

const usage = (day: string): DayUsage => ({ day, hoursCovered: 24, daysInMonth: 30, runs: [], inference: [], storage: null, predictions: [] });

function source(extra: { tagKey?: string; tagValue?: string; endpoint?: string } = {}) {
  const s = createCostExplorerSource({ tagKey: 'project', tagValue: 'pricesense', endpoint: motoServer().endpoint, credentials, ...extra });
  const requests: GetCostAndUsageCommandInput[] = [];
  s.client.middlewareStack.add((next, context) => async (args) => {
    if (context.commandName === 'GetCostAndUsageCommand') requests.push(structuredClone(args.input as GetCostAndUsageCommandInput));
    return next(args);
  }, { step: 'initialize', name: 'captureCostRequests' });
  return { s, requests };
}

async function caught(promise: Promise<unknown>): Promise<CostSourceError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(CostSourceError);
  return error as CostSourceError;
}

describe('Cost Explorer cost source (moto)', () => {
  it('asks for daily unblended cost grouped by service and the cost tag, in one request for the span', async () => {
    await seed({ ResultsByTime: [result('2026-11-24', '2026-11-25', []), result('2026-11-25', '2026-11-26', [])], DimensionValueAttributes: [] });
    const { s, requests } = source();
    await s.dailyCosts([usage('2026-11-25'), usage('2026-11-24')]);
    expect(requests).toEqual([{
      TimePeriod: { Start: '2026-11-24', End: '2026-11-26' },
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost'],
      GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }, { Type: 'TAG', Key: 'project' }],
    }]);
  });

  it("counts the project's tagged spend by component, notes untagged spend and leaves other projects out", async () => {
    await seed({
      ResultsByTime: [
        result('2026-11-24', '2026-11-25', [
          ['Amazon SageMaker', 'project$pricesense', '1.25'],
          ['Amazon Elastic Compute Cloud - Compute', 'project$pricesense', '2.5344'],
          ['Amazon Elastic Kubernetes Service', 'project$pricesense', '2.4'],
          ['EC2 - Other', 'project$pricesense', '1.5'],
          ['Amazon Relational Database Service', 'project$pricesense', '0.576'],
          ['Amazon Simple Storage Service', 'project$pricesense', '0.04'],
          ['AWS Data Transfer', 'project$pricesense', '0.012'],
          ['Some Service Launched Next Year', 'project$pricesense', '0.1'],
          ['Amazon Simple Storage Service', 'project$other-team', '9'],
          ['Amazon Relational Database Service', 'project$', '3.5'],
          ['Amazon SageMaker', 'project$pricesense', '0'],
        ]),
        result('2026-11-25', '2026-11-26', [['Amazon Elastic Kubernetes Service', 'project$pricesense', '1.2']], { Estimated: true }),
      ],
    });
    const { s } = source();
    const lines = await s.dailyCosts([usage('2026-11-24'), usage('2026-11-25')]);
    const day1 = Object.fromEntries(lines.filter((l) => l.day === '2026-11-24').map((l) => [l.component, l]));
    expect(Object.keys(day1).sort()).toEqual(['control_plane', 'data_transfer', 'inference', 'storage', 'training']);
    expect(day1.training!.amountUsd).toBe(1.25);
    expect(day1.inference!.amountUsd).toBe(2.5344);
    expect(day1.storage!.amountUsd).toBe(0.04); // the other team's $9 of S3 is not ours
    expect(day1.data_transfer!.amountUsd).toBe(0.012);
    expect(day1.control_plane!.amountUsd).toBeCloseTo(2.4 + 1.5 + 0.576 + 0.1, 6);
    expect(day1.control_plane!.details).toMatchObject({
      services: { 'Amazon Elastic Kubernetes Service': 2.4, 'EC2 - Other': 1.5, 'Amazon Relational Database Service': 0.576, 'Some Service Launched Next Year': 0.1 },
      tag: 'project=pricesense', untaggedUsd: 3.5, estimated: false,
    });
    expect(lines.filter((l) => l.day === '2026-11-25')).toEqual([
      { day: '2026-11-25', component: 'control_plane', amountUsd: 1.2, details: { services: { 'Amazon Elastic Kubernetes Service': 1.2 }, estimated: true, tag: 'project=pricesense', untaggedUsd: 0 } },
    ]);
    expect(lines.every((l) => l.runId === undefined && l.deploymentId === undefined)).toBe(true);
  });

  it('uses the configured tag key and value', async () => {
    await seed({ ResultsByTime: [result('2026-11-24', '2026-11-25', [
      ['Amazon SageMaker', 'CostCenter$ml-platform', '4'],
      ['Amazon SageMaker', 'project$pricesense', '100'],
    ])] });
    const { s, requests } = source({ tagKey: 'CostCenter', tagValue: 'ml-platform' });
    const lines = await s.dailyCosts([usage('2026-11-24')]);
    expect(requests[0]!.GroupBy).toEqual([{ Type: 'DIMENSION', Key: 'SERVICE' }, { Type: 'TAG', Key: 'CostCenter' }]);
    expect(lines.map((l) => [l.component, l.amountUsd])).toEqual([['training', 4]]);
    expect(s.where).toContain('CostCenter=ml-platform');
  });

  it('follows NextPageToken until the last page', async () => {
    await seed(
      { ResultsByTime: [result('2026-11-24', '2026-11-25', [['Amazon SageMaker', 'project$pricesense', '1']])], NextPageToken: 'page-2' },
      { ResultsByTime: [result('2026-11-24', '2026-11-25', [['Amazon SageMaker', 'project$pricesense', '2']])] },
    );
    const { s, requests } = source();
    const lines = await s.dailyCosts([usage('2026-11-24')]);
    expect(requests.map((r) => r.NextPageToken)).toEqual([undefined, 'page-2']);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.amountUsd).toBe(3);
  });

  it('answers nothing for days Cost Explorer has nothing for', async () => {
    const { s } = source();
    await expect(s.dailyCosts([usage('2026-11-24')])).resolves.toEqual([]);
    await expect(s.dailyCosts([])).resolves.toEqual([]);
  });

  it('refuses a bill in another currency, saying why', async () => {
    await seed({ ResultsByTime: [result('2026-11-24', '2026-11-25', [['Amazon SageMaker', 'project$pricesense', '1', 'EUR']])] });
    const error = await caught(source().s.dailyCosts([usage('2026-11-24')]));
    expect(error.message).toMatch(/answered in EUR for 2026-11-24; the platform counts in USD/);
  });

  it('reports an error answer with the operation, the days and the HTTP status', async () => {
    // moto serves nothing under this path: a real HTTP error answer, as a wrong endpoint or a proxy would give.
    const { s } = source({ endpoint: `${motoServer().endpoint}/no-such-api` });
    const error = await caught(s.dailyCosts([usage('2026-11-24'), usage('2026-11-25')]));
    expect(error.reason).toBe('refused');
    expect(error.operation).toBe('GetCostAndUsage');
    expect(error.message).toMatch(/^Cost Explorer GetCostAndUsage failed for 2026-11-24 – 2026-11-25: .*\(HTTP 404\)/);
  });

  it('says it could not reach the endpoint when nothing answers', async () => {
    const endpoint = `http://127.0.0.1:${await freePort()}`;
    const s = createCostExplorerSource({ tagKey: 'project', tagValue: 'pricesense', endpoint, credentials, requestTimeoutMs: 2000 });
    const error = await caught(s.dailyCosts([usage('2026-11-24')]));
    expect(error.reason).toBe('unreachable');
    expect(error.message).toBe(`Cost Explorer GetCostAndUsage failed for 2026-11-24 – 2026-11-24: could not reach ${endpoint} (ECONNREFUSED).`);
  });
});

describe('createCostSource', () => {
  const base = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };

  it('is the cost model locally, Cost Explorer in AWS mode, and what COST_SOURCE says', () => {
    expect(createCostSource(parseEnv({})).kind).toBe('cost_model');
    const aws = { TRAINING_BACKEND: 'sagemaker', SAGEMAKER_ROLE_ARN: 'arn:aws:iam::123456789012:role/trainer', TRAINER_IMAGE_URI: 'img', STORAGE_BACKEND: 's3', S3_BUCKET: 'bucket' };
    expect(createCostSource(parseEnv(aws)).kind).toBe('cost_explorer');
    expect(createCostSource(parseEnv({ ...aws, COST_SOURCE: 'model' })).kind).toBe('cost_model');
    expect(createCostSource(parseEnv({ COST_SOURCE: 'cost_explorer' })).where).toBe('AWS Cost Explorer, resources tagged project=pricesense');
  });

  it('reads the bill from COST_EXPLORER_ENDPOINT for COST_TAG_KEY=COST_TAG_VALUE', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, base);
    try {
      await seed({ ResultsByTime: [result('2026-11-24', '2026-11-25', [['Amazon SageMaker', 'team$ml', '0.5'], ['Amazon SageMaker', 'project$pricesense', '7']])] });
      const s = createCostSource(parseEnv({ COST_SOURCE: 'cost_explorer', COST_EXPLORER_ENDPOINT: motoServer().endpoint, COST_TAG_KEY: 'team', COST_TAG_VALUE: 'ml' }));
      const lines = await s.dailyCosts([usage('2026-11-24')]);
      expect(lines.map((l) => [l.component, l.amountUsd])).toEqual([['training', 0.5]]);
    } finally {
      process.env = saved;
    }
  });

  it('refuses a malformed COST_SOURCE or tag, naming the variable', () => {
    expect(() => parseEnv({ COST_SOURCE: 'billing' })).toThrow(/COST_SOURCE must be model or cost_explorer/);
    expect(() => parseEnv({ COST_TAG_KEY: 'a'.repeat(129) })).toThrow(/COST_TAG_KEY must be an AWS tag key/);
    expect(() => parseEnv({ COST_TAG_VALUE: 'bad\u0000value' })).toThrow(/COST_TAG_VALUE must be an AWS tag value/);
  });
});
