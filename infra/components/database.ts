import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import type { StackConfig } from '../../lib/infra-config';
import { namedTags, stackPrefix } from './common';

export type DatabaseArgs = {
  stack: StackConfig;
  vpcId: pulumi.Input<string>;
  privateSubnetIds: pulumi.Input<string>[];
  /** Only this security group (the EKS cluster's, which the nodes and pods carry) may connect. */
  clientSecurityGroupId: pulumi.Input<string>;
  kmsKeyArn: pulumi.Input<string>;
  /** Database and user name. */
  name?: string;
};

/**
 * The control plane's PostgreSQL on RDS: private subnets only, reachable on 5432
 * from the cluster's security group alone, storage encrypted with the stack's
 * key, TLS forced, automated backups for the stack's retention, Multi-AZ where
 * the stack says. The password is generated once (kept in Pulumi state as a
 * secret) and stored with the connection URL in Secrets Manager, where operators
 * and the Kubernetes secret read it. On prod: deletion protection and a final
 * snapshot; on dev: `pulumi destroy` removes it outright.
 */
export class Database extends pulumi.ComponentResource {
  readonly address: pulumi.Output<string>;
  readonly identifier: string;
  /** postgresql://… with the password: a secret output. */
  readonly url: pulumi.Output<string>;
  readonly secretArn: pulumi.Output<string>;

  constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super('pricesense:infra:Database', name, {}, opts);
    const { stack } = args;
    const prefix = stackPrefix(stack);
    const parent = { parent: this };
    const dbName = args.name ?? 'pricesense';
    this.identifier = `${prefix}-db`;

    // Letters and digits only: the password goes into a URL unescaped.
    const password = new random.RandomPassword(`${prefix}-db-password`, { length: 40, special: false }, parent);
    const subnets = new aws.rds.SubnetGroup(`${prefix}-db-subnets`, { subnetIds: args.privateSubnetIds, tags: namedTags(stack, 'db-subnets') }, parent);
    const sg = new aws.ec2.SecurityGroup(`${prefix}-db-sg`, { vpcId: args.vpcId, description: 'PostgreSQL: only from the EKS cluster', tags: namedTags(stack, 'db') }, parent);
    new aws.vpc.SecurityGroupIngressRule(`${prefix}-db-from-cluster`, {
      securityGroupId: sg.id, ipProtocol: 'tcp', fromPort: 5432, toPort: 5432, referencedSecurityGroupId: args.clientSecurityGroupId,
      description: 'PostgreSQL from the cluster (nodes and pods)', tags: namedTags(stack, 'db-from-cluster'),
    }, parent);
    const family = `postgres${stack.rds.engineVersion.split('.')[0]}`;
    const params = new aws.rds.ParameterGroup(`${prefix}-db-params`, {
      family, description: `PriceSense ${stack.name}: TLS only, slow statements logged`,
      parameters: [{ name: 'rds.force_ssl', value: '1' }, { name: 'log_min_duration_statement', value: '1000' }],
      tags: namedTags(stack, 'db-params'),
    }, parent);
    // Before the instance: RDS would otherwise create it on first export, keeping logs forever.
    const logGroup = new aws.cloudwatch.LogGroup(`${prefix}-db-logs`, {
      name: `/aws/rds/instance/${this.identifier}/postgresql`, retentionInDays: stack.logs.retentionDays, tags: namedTags(stack, 'db-logs'),
    }, parent);

    const instance = new aws.rds.Instance(`${prefix}-db`, {
      identifier: this.identifier,
      engine: stack.rds.engine,
      engineVersion: stack.rds.engineVersion,
      instanceClass: stack.rds.instanceClass,
      allocatedStorage: stack.rds.storageGb,
      maxAllocatedStorage: stack.rds.storageGb * 2,
      storageType: 'gp3',
      storageEncrypted: true,
      kmsKeyId: args.kmsKeyArn,
      multiAz: stack.rds.multiAz,
      dbName,
      username: dbName,
      password: password.result,
      dbSubnetGroupName: subnets.name,
      vpcSecurityGroupIds: [sg.id],
      parameterGroupName: params.name,
      publiclyAccessible: false,
      backupRetentionPeriod: stack.rds.backupRetentionDays,
      backupWindow: '17:00-18:00',
      maintenanceWindow: 'sun:18:30-sun:19:30',
      autoMinorVersionUpgrade: true,
      copyTagsToSnapshot: true,
      enabledCloudwatchLogsExports: ['postgresql'],
      deletionProtection: stack.protectData,
      skipFinalSnapshot: !stack.protectData,
      finalSnapshotIdentifier: stack.protectData ? `${this.identifier}-final` : undefined,
      applyImmediately: !stack.protectData,
      tags: namedTags(stack, 'db'),
    }, { parent: this, protect: stack.protectData, dependsOn: [logGroup] });
    this.address = instance.address;

    // TLS without verifying the RDS certificate chain (not in Node's trust store); the connection never leaves the VPC.
    this.url = pulumi.secret(pulumi.interpolate`postgresql://${dbName}:${password.result}@${instance.address}:${instance.port}/${dbName}?sslmode=no-verify`);
    const secret = new aws.secretsmanager.Secret(`${prefix}-db-secret`, {
      name: `${prefix}/database`, description: `PriceSense ${stack.name}: PostgreSQL credentials and URL`,
      kmsKeyId: args.kmsKeyArn, recoveryWindowInDays: stack.protectData ? 30 : 0, tags: namedTags(stack, 'db-secret'),
    }, parent);
    new aws.secretsmanager.SecretVersion(`${prefix}-db-secret-value`, {
      secretId: secret.id,
      secretString: pulumi.secret(pulumi.jsonStringify({ engine: 'postgres', username: dbName, password: password.result, host: instance.address, port: instance.port, dbname: dbName, url: this.url })),
    }, parent);
    this.secretArn = secret.arn;

    this.registerOutputs({ address: this.address, secretArn: this.secretArn });
  }
}
