import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { COST_TAG, type StackConfig } from '../../lib/infra-config';
import { arn, namedTags, policyJson, stackPrefix, type AwsContext } from './common';
import { SecureBucket } from './secure-bucket';

export type ObservabilityArgs = {
  stack: StackConfig;
  aws: AwsContext;
  /** Receives the budget alerts and (after confirming the SNS subscription) the alarms. */
  alertEmail: string;
  /** Monthly budget in USD for the project's tagged spend. */
  budgetUsd: number;
  /** An account already covered by an organisation trail can skip this one (each extra trail is billed). */
  createTrail: boolean;
};

/**
 * Logs, notifications, audit and spend: the container log group (Fluent Bit
 * ships the app's pods there; the inference service's EMF lines become metrics)
 * with the stack's retention; an SNS topic for alarms, encrypted with a key
 * CloudWatch may use; a multi-region CloudTrail with log-file validation into
 * its own KMS-encrypted, TLS-only bucket; and an AWS Budget on the project's
 * cost tag that emails at 80 % of the month's actual spend and 100 % forecast.
 */
export class Observability extends pulumi.ComponentResource {
  readonly containerLogGroupName: pulumi.Output<string>;
  readonly alarmTopicArn: pulumi.Output<string>;
  readonly trailBucketName?: pulumi.Output<string>;

  constructor(name: string, args: ObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
    super('pricesense:infra:Observability', name, {}, opts);
    const { stack } = args;
    const prefix = stackPrefix(stack);
    const parent = { parent: this };
    const trailName = `${prefix}-trail`;
    const trailArn = arn(args.aws, 'cloudtrail', `trail/${trailName}`);

    const logs = new aws.cloudwatch.LogGroup(`${prefix}-containers`, {
      name: `/pricesense/${stack.name}/containers`, retentionInDays: stack.logs.retentionDays, tags: namedTags(stack, 'containers'),
    }, parent);
    this.containerLogGroupName = logs.name;

    const key = new aws.kms.Key(`${prefix}-audit-key`, {
      description: `PriceSense ${stack.name}: CloudTrail logs and the alarm topic`,
      enableKeyRotation: true,
      deletionWindowInDays: stack.protectData ? 30 : 7,
      policy: policyJson([
        { Sid: 'AccountAdministers', Effect: 'Allow', Principal: { AWS: arn(args.aws, 'iam', 'root', { region: false }) }, Action: 'kms:*', Resource: '*' },
        {
          Sid: 'CloudTrailEncrypts', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: ['kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: '*',
          Condition: { StringEquals: { 'aws:SourceArn': trailArn } },
        },
        { Sid: 'CloudWatchPublishesAlarms', Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*' },
      ]),
      tags: namedTags(stack, 'audit-key'),
    }, parent);

    const topic = new aws.sns.Topic(`${prefix}-alarms`, { name: `${prefix}-alarms`, kmsMasterKeyId: key.arn, tags: namedTags(stack, 'alarms') }, parent);
    new aws.sns.TopicPolicy(`${prefix}-alarms-policy`, {
      arn: topic.arn,
      policy: policyJson([
        {
          Sid: 'CloudWatchAlarmsOfThisAccount', Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: topic.arn,
          Condition: { StringEquals: { 'aws:SourceAccount': args.aws.accountId } },
        },
        {
          Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Resource: topic.arn,
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ]),
    }, parent);
    new aws.sns.TopicSubscription(`${prefix}-alarms-email`, { topic: topic.arn, protocol: 'email', endpoint: args.alertEmail }, parent);
    this.alarmTopicArn = topic.arn;

    if (args.createTrail) {
      const trailBucket = new SecureBucket(`${prefix}-trail`, {
        stack, purpose: 'trail', kmsKeyArn: key.arn,
        extraStatements: (bucketArn) => [
          { Sid: 'CloudTrailChecksAcl', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl', Resource: bucketArn, Condition: { StringEquals: { 'aws:SourceArn': trailArn } } },
          {
            Sid: 'CloudTrailWrites', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject',
            Resource: pulumi.interpolate`${bucketArn}/AWSLogs/${args.aws.accountId}/*`,
            Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': trailArn } },
          },
        ],
      }, parent);
      new aws.cloudtrail.Trail(`${prefix}-trail`, {
        name: trailName, s3BucketName: trailBucket.bucketName, kmsKeyId: key.arn,
        isMultiRegionTrail: true, includeGlobalServiceEvents: true, enableLogFileValidation: true, enableLogging: true,
        tags: namedTags(stack, 'trail'),
      }, { parent: this, dependsOn: [trailBucket] });
      this.trailBucketName = trailBucket.bucketName;
    }

    new aws.budgets.Budget(`${prefix}-budget`, {
      name: `${prefix}-monthly`,
      budgetType: 'COST', timeUnit: 'MONTHLY', limitAmount: args.budgetUsd.toFixed(2), limitUnit: 'USD',
      // The project's cost-allocation tag (activate it under Billing → Cost allocation tags).
      costFilters: [{ name: 'TagKeyValue', values: [`user:${COST_TAG.key}$${COST_TAG.value}`] }],
      notifications: [
        { notificationType: 'ACTUAL', comparisonOperator: 'GREATER_THAN', threshold: 80, thresholdType: 'PERCENTAGE', subscriberEmailAddresses: [args.alertEmail] },
        { notificationType: 'FORECASTED', comparisonOperator: 'GREATER_THAN', threshold: 100, thresholdType: 'PERCENTAGE', subscriberEmailAddresses: [args.alertEmail] },
      ],
      tags: namedTags(stack, 'budget'),
    }, parent);

    this.registerOutputs({ containerLogGroupName: this.containerLogGroupName, alarmTopicArn: this.alarmTopicArn });
  }
}
