import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import type { StackConfig } from '../../lib/infra-config';
import { namedTags, stackPrefix } from './common';

/** The keys of the app's secret, as environment variable names (Kubernetes Secret and Secrets Manager alike). */
export const APP_SECRET_KEYS = ['DATABASE_URL', 'AUTH_SECRET', 'MLOPS_ADMIN_PASSWORD'] as const;
export type AppSecretKey = (typeof APP_SECRET_KEYS)[number];

export type AppSecretsArgs = {
  stack: StackConfig;
  databaseUrl: pulumi.Input<string>;
  kmsKeyArn: pulumi.Input<string>;
};

/**
 * The control plane's secrets, generated once and kept in Secrets Manager
 * (`pricesense-<stack>/app`, JSON with the keys above): the session-signing key
 * shared by every web and worker replica, the first administrator's password
 * (read it there for the first sign-in, then change it in the app), and the
 * database URL. Nothing secret is ever written in code or printed to logs.
 */
export class AppSecrets extends pulumi.ComponentResource {
  readonly secretArn: pulumi.Output<string>;
  readonly secretName: string;
  /** Secret outputs, for the Kubernetes Secret. */
  readonly values: Record<AppSecretKey, pulumi.Output<string>>;

  constructor(name: string, args: AppSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('pricesense:infra:AppSecrets', name, {}, opts);
    const { stack } = args;
    const prefix = stackPrefix(stack);
    const parent = { parent: this };
    const authSecret = new random.RandomPassword(`${prefix}-auth-secret`, { length: 48, special: false }, parent);
    const adminPassword = new random.RandomPassword(`${prefix}-admin-password`, { length: 24, special: false }, parent);
    this.values = {
      DATABASE_URL: pulumi.secret(pulumi.output(args.databaseUrl)),
      AUTH_SECRET: authSecret.result,
      MLOPS_ADMIN_PASSWORD: adminPassword.result,
    };
    this.secretName = `${prefix}/app`;
    const secret = new aws.secretsmanager.Secret(`${prefix}-app-secret`, {
      name: this.secretName, description: `PriceSense ${stack.name}: the control plane's secrets (session key, first admin password, database URL)`,
      kmsKeyId: args.kmsKeyArn, recoveryWindowInDays: stack.protectData ? 30 : 0, tags: namedTags(stack, 'app-secret'),
    }, parent);
    new aws.secretsmanager.SecretVersion(`${prefix}-app-secret-value`, {
      secretId: secret.id, secretString: pulumi.secret(pulumi.jsonStringify(this.values)),
    }, parent);
    this.secretArn = secret.arn;
    this.registerOutputs({ secretArn: this.secretArn });
  }
}
