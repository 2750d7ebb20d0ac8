import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { STACKS } from '../lib/infra-config';
import { EXAMPLE_CERTIFICATE_ID, INSTALLATION_KEYS, InstallationError, parseInstallation, stackConfigFor } from './installation';

const CERT = 'arn:aws:acm:ap-southeast-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
const parse = (settings: Record<string, string>) => parseInstallation((k) => settings[k], STACKS.dev);
const problems = (settings: Record<string, string>) => {
  try { parse(settings); } catch (error) { return (error as InstallationError).problems; }
  throw new Error('expected the settings to be refused');
};

describe('installation settings', () => {
  it('needs only a domain, a certificate and an alert email; the rest has defaults', () => {
    expect(parse({ domain: 'pricesense.example.com', certificateArn: CERT, alertEmail: 'ops@example.com' })).toEqual({
      domain: 'pricesense.example.com', apiDomain: 'api.pricesense.example.com', certificateArn: CERT, alertEmail: 'ops@example.com', adminEmail: 'ops@example.com',
      githubBranch: 'main', ciClusterAdmin: false, budgetUsd: 500, clusterEndpointCidrs: ['0.0.0.0/0'], createTrail: true,
    });
  });

  it('names every bad or missing key at once', () => {
    expect(problems({ domain: 'Not A Domain', alertEmail: 'nobody', budgetUsd: '-5', githubRepo: 'no-slash', clusterEndpointCidrs: '10.0.0.1' })).toEqual([
      'pricesense:domain must be a lower-case DNS name such as pricesense.example.com',
      expect.stringMatching(/^pricesense:certificateArn /),
      'pricesense:alertEmail must be an email address',
      'pricesense:githubRepo must be owner/name',
      'pricesense:budgetUsd must be more than 0',
      expect.stringMatching(/^pricesense:clusterEndpointCidrs(\.0)? must be comma-separated IPv4 CIDRs$/),
    ]);
  });

  it('refuses a certificate from another region and the committed example certificate', () => {
    expect(problems({ domain: 'p.example.com', alertEmail: 'a@example.com', certificateArn: CERT.replace('ap-southeast-1', 'us-east-1') })).toEqual([expect.stringMatching(/certificate in ap-southeast-1.*got us-east-1/)]);
    expect(problems({ domain: 'p.example.com', alertEmail: 'a@example.com', certificateArn: CERT.replace(/[0-9a-f-]{36}$/, EXAMPLE_CERTIFICATE_ID) })).toEqual([expect.stringMatching(/still the example/)]);
  });

  it('picks the StackConfig by stack name', () => {
    expect(stackConfigFor('dev')).toBe(STACKS.dev);
    expect(stackConfigFor('acme-prod')).toBe(STACKS.prod);
    expect(() => stackConfigFor('staging')).toThrow(/neither dev nor prod/);
  });
});

describe('the committed Pulumi.<stack>.yaml examples', () => {
  it.each(['dev', 'prod'] as const)('%s: only per-installation keys, the stack\'s region, valid but for the example certificate', (name) => {
    const file = YAML.parse(fs.readFileSync(path.join(import.meta.dirname, `Pulumi.${name}.yaml`), 'utf8')) as { config: Record<string, string> };
    const keys = Object.keys(file.config);
    expect(file.config['aws:region']).toBe(STACKS[name].region);
    for (const key of keys.filter((k) => k !== 'aws:region')) expect(INSTALLATION_KEYS.map((k) => `pricesense:${k}`)).toContain(key);
    const settings = Object.fromEntries(keys.map((k) => [k.replace(/^pricesense:/, ''), file.config[k]!]));
    try {
      parseInstallation((k) => settings[k], STACKS[name]);
      throw new Error('the example certificate should be refused');
    } catch (error) {
      expect((error as InstallationError).problems).toEqual([expect.stringMatching(/still the example/)]);
    }
  });
});
