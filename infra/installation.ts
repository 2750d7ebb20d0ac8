import { z } from 'zod';
import { INFRA_MONTHLY_TARGET_USD, STACK_NAMES, STACKS, type StackConfig, type StackName } from '../lib/infra-config';

/**
 * What differs between installations of the same stack — and only that: the
 * stack's shape (sizes, counts, retention…) is StackConfig in lib/infra-config.ts.
 * Read from `pricesense:*` keys of Pulumi.<stack>.yaml; every problem is
 * reported at once, naming the key.
 */
export type Installation = {
  /** The web app's host name, e.g. pricesense.example.com. */
  domain: string;
  /** The prediction API's host name (default api.<domain>). */
  apiDomain: string;
  /** ACM certificate (same region) covering domain and apiDomain. */
  certificateArn: string;
  /** Budget alerts and alarm notifications. */
  alertEmail: string;
  /** The first administrator (default alertEmail); its password is generated into Secrets Manager. */
  adminEmail: string;
  /** The image tag to run (CI pushes the git SHA). Unset: infrastructure only, no workloads yet. */
  imageTag?: string;
  /** owner/name: enables the GitHub Actions deploy role. */
  githubRepo?: string;
  githubBranch: string;
  githubOidcProviderArn?: string;
  /** Widen the deploy role's Kubernetes access from edit in the app namespace to cluster admin (for CI runs that change add-ons). */
  ciClusterAdmin: boolean;
  budgetUsd: number;
  /** CIDRs allowed to reach the EKS API endpoint (authentication still required). */
  clusterEndpointCidrs: string[];
  createTrail: boolean;
  pulumiStateBucket?: string;
  pulumiSecretsKeyArn?: string;
};

const host = z.string().regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a lower-case DNS name such as pricesense.example.com');
const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
const schema = z.object({
  domain: host,
  apiDomain: host.optional(),
  certificateArn: z.string().regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/, 'must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)'),
  alertEmail: z.email('must be an email address'),
  adminEmail: z.email('must be an email address').optional(),
  imageTag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'must be a Docker image tag (letters, digits, _ . -)').optional(),
  githubRepo: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'must be owner/name').optional(),
  githubBranch: z.string().min(1).default('main'),
  githubOidcProviderArn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/, 'must be the ARN of the account\'s token.actions.githubusercontent.com OIDC provider').optional(),
  ciClusterAdmin: bool.default(false),
  budgetUsd: z.coerce.number({ error: 'must be a number of US dollars' }).positive('must be more than 0').default(INFRA_MONTHLY_TARGET_USD),
  clusterEndpointCidrs: z.string().transform((s) => s.split(',').map((c) => c.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, 'must be comma-separated IPv4 CIDRs')).min(1)).default(['0.0.0.0/0']),
  createTrail: bool.default(true),
  pulumiStateBucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name').optional(),
  pulumiSecretsKeyArn: z.string().regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/\S+$/, 'must be a KMS key or alias ARN').optional(),
});

/** The certificate ID in the committed Pulumi.<stack>.yaml examples. */
export const EXAMPLE_CERTIFICATE_ID = '00000000-0000-0000-0000-000000000000';

export const INSTALLATION_KEYS = Object.keys(schema.shape) as (keyof typeof schema.shape)[];

export class InstallationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid stack configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'InstallationError';
  }
}

/** The stack's shape, by Pulumi stack name: `dev` or `prod` (or a name ending in -dev / -prod, e.g. acme-prod). */
export function stackConfigFor(stackName: string): StackConfig {
  const match = STACK_NAMES.find((n) => stackName === n || stackName.endsWith(`-${n}`));
  if (!match) throw new InstallationError([`stack "${stackName}" is neither ${STACK_NAMES.join(' nor ')} (nor ends in -${STACK_NAMES.join(' / -')}): lib/infra-config.ts has no such StackConfig`]);
  return STACKS[match as StackName];
}

/** Validates the `pricesense:*` settings (read through `get`, e.g. pulumi.Config#get). */
export function parseInstallation(get: (key: string) => string | undefined, stack: StackConfig): Installation {
  const raw = Object.fromEntries(INSTALLATION_KEYS.map((k) => [k, get(k)]).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(raw);
  if (!result.success) {
    throw new InstallationError(result.error.issues.map((i) => `pricesense:${i.path.join('.') || '(config)'} ${i.message}`));
  }
  const c = result.data;
  const problems: string[] = [];
  const certRegion = c.certificateArn.split(':')[3];
  if (c.certificateArn.endsWith(EXAMPLE_CERTIFICATE_ID)) problems.push('pricesense:certificateArn is still the example from Pulumi.<stack>.yaml: request or import a certificate for your domain in ACM and set its ARN');
  if (certRegion !== stack.region) problems.push(`pricesense:certificateArn must be a certificate in ${stack.region}, the stack's region (got ${certRegion}); the load balancer can only use one from its own region`);
  if (problems.length) throw new InstallationError(problems);
  return {
    ...c,
    apiDomain: c.apiDomain ?? `api.${c.domain}`,
    adminEmail: c.adminEmail ?? c.alertEmail,
  };
}
