import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { StackConfig } from '../../lib/infra-config';
import { arn, namedTags, policyJson, serviceTrust, stackPrefix, type AwsContext, type PolicyStatement } from './common';
import { irsaRole } from './irsa';
import { APP_NAMESPACE, appAlarmPrefix, metricsNamespace, SERVICE_ACCOUNTS } from '../manifests/names';

export type WorkloadRolesArgs = {
  stack: StackConfig;
  aws: AwsContext;
  oidcProviderArn: pulumi.Input<string>;
  oidcIssuer: pulumi.Input<string>;
  buckets: { raw: pulumi.Input<string>; curated: pulumi.Input<string>; artifacts: pulumi.Input<string> };
  kmsKeyArn: pulumi.Input<string>;
  trainerRepositoryArn: pulumi.Input<string>;
};

const objects = (bucketArn: pulumi.Input<string>, ...prefixes: string[]) => prefixes.map((p) => pulumi.interpolate`${bucketArn}/${p}`);

/**
 * The IAM roles of the platform's workloads, each allowed only what its code calls:
 * - inference pods (IRSA): read deployment manifests and models from the artifacts
 *   bucket, write only their status and telemetry files there;
 * - the control plane (web and worker, IRSA): the buckets, SageMaker training jobs
 *   named `pricesense-run-*` and model package groups, CloudWatch metrics and the
 *   alarms it names, Cost Explorer, and passing the SageMaker role to SageMaker;
 * - the SageMaker execution role: read dataset rows, write the run's output, pull
 *   the trainer image, write its logs and metrics.
 */
export class WorkloadRoles extends pulumi.ComponentResource {
  readonly controlPlaneRoleArn: pulumi.Output<string>;
  readonly inferenceRoleArn: pulumi.Output<string>;
  readonly sagemakerExecutionRoleArn: pulumi.Output<string>;

  constructor(name: string, args: WorkloadRolesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('pricesense:infra:WorkloadRoles', name, {}, opts);
    const { stack, buckets } = args;
    const prefix = stackPrefix(stack);
    const parent = { parent: this };
    const kms: PolicyStatement = { Sid: 'DataKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: args.kmsKeyArn };
    const irsa = { stack, oidcProviderArn: args.oidcProviderArn, oidcIssuer: args.oidcIssuer, namespace: APP_NAMESPACE };

    const inference = irsaRole(`${prefix}-inference`, {
      ...irsa, serviceAccount: SERVICE_ACCOUNTS.inference, description: 'Inference pods: read models and manifests, write status and telemetry',
      statements: [
        // ListBucket lets a missing manifest answer 404 instead of 403.
        { Sid: 'ListServedPrefixes', Effect: 'Allow', Action: 's3:ListBucket', Resource: buckets.artifacts, Condition: { StringLike: { 's3:prefix': ['deployments/*', 'runs/*', 'models/*'] } } },
        { Sid: 'ReadModelsAndManifests', Effect: 'Allow', Action: 's3:GetObject', Resource: objects(buckets.artifacts, 'deployments/*', 'runs/*', 'models/*') },
        { Sid: 'WriteStatusAndTelemetry', Effect: 'Allow', Action: 's3:PutObject', Resource: objects(buckets.artifacts, 'deployments/*/instances/*', 'telemetry/*') },
        kms,
      ],
    }, parent);

    const sagemaker = new aws.iam.Role(`${prefix}-sagemaker-execution`, {
      description: 'SageMaker training jobs: the trainer image reading dataset rows and writing the model',
      assumeRolePolicy: serviceTrust('sagemaker.amazonaws.com'),
      tags: namedTags(stack, 'sagemaker-execution'),
    }, parent);
    new aws.iam.RolePolicy(`${prefix}-sagemaker-execution-policy`, {
      role: sagemaker.id,
      policy: policyJson([
        { Sid: 'ListInputsAndOutputs', Effect: 'Allow', Action: 's3:ListBucket', Resource: buckets.artifacts, Condition: { StringLike: { 's3:prefix': ['datasets/*', 'runs/*'] } } },
        { Sid: 'ReadDatasets', Effect: 'Allow', Action: 's3:GetObject', Resource: objects(buckets.artifacts, 'datasets/*') },
        { Sid: 'WriteRunOutput', Effect: 'Allow', Action: 's3:PutObject', Resource: objects(buckets.artifacts, 'runs/*') },
        kms,
        { Sid: 'EcrLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
        { Sid: 'PullTrainer', Effect: 'Allow', Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'], Resource: args.trainerRepositoryArn },
        {
          Sid: 'TrainingLogs', Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          Resource: [arn(args.aws, 'logs', 'log-group:/aws/sagemaker/TrainingJobs'), arn(args.aws, 'logs', 'log-group:/aws/sagemaker/TrainingJobs:*')],
        },
        { Sid: 'TrainingMetrics', Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': '/aws/sagemaker/TrainingJobs' } } },
      ]),
    }, parent);

    const namespace = metricsNamespace(stack);
    const controlPlane = irsaRole(`${prefix}-control-plane`, {
      ...irsa, serviceAccount: SERVICE_ACCOUNTS.controlPlane, description: 'Web app and worker: storage, SageMaker, CloudWatch, Cost Explorer',
      statements: [
        { Sid: 'ListBuckets', Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetBucketLocation', 's3:ListBucketMultipartUploads'], Resource: [buckets.artifacts, buckets.curated, buckets.raw] },
        {
          Sid: 'ReadWritePlatformObjects', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
          Resource: [pulumi.interpolate`${buckets.artifacts}/*`, pulumi.interpolate`${buckets.curated}/*`],
        },
        { Sid: 'ReadLandingZone', Effect: 'Allow', Action: 's3:GetObject', Resource: pulumi.interpolate`${buckets.raw}/*` },
        kms,
        {
          Sid: 'TrainingJobs', Effect: 'Allow', Action: ['sagemaker:CreateTrainingJob', 'sagemaker:DescribeTrainingJob', 'sagemaker:StopTrainingJob', 'sagemaker:AddTags'],
          Resource: arn(args.aws, 'sagemaker', 'training-job/pricesense-run-*'),
        },
        {
          Sid: 'ModelRegistryMirror', Effect: 'Allow',
          Action: ['sagemaker:CreateModelPackageGroup', 'sagemaker:DescribeModelPackageGroup', 'sagemaker:CreateModelPackage', 'sagemaker:DescribeModelPackage', 'sagemaker:UpdateModelPackage', 'sagemaker:AddTags'],
          Resource: [arn(args.aws, 'sagemaker', 'model-package-group/*'), arn(args.aws, 'sagemaker', 'model-package/*')],
        },
        // List actions without resource-level permissions.
        { Sid: 'ListModelPackages', Effect: 'Allow', Action: 'sagemaker:ListModelPackages', Resource: '*' },
        {
          Sid: 'PassTrainingRole', Effect: 'Allow', Action: 'iam:PassRole', Resource: sagemaker.arn,
          Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
        },
        { Sid: 'ReadMetrics', Effect: 'Allow', Action: 'cloudwatch:GetMetricData', Resource: '*' },
        { Sid: 'WriteOwnMetrics', Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': namespace } } },
        {
          Sid: 'ManageOwnAlarms', Effect: 'Allow', Action: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms'],
          Resource: arn(args.aws, 'cloudwatch', `alarm:${appAlarmPrefix(namespace)}*`),
        },
        // Listing by name prefix is authorised against every alarm; it only reads.
        { Sid: 'ListAlarms', Effect: 'Allow', Action: 'cloudwatch:DescribeAlarms', Resource: '*' },
        { Sid: 'ReadCosts', Effect: 'Allow', Action: 'ce:GetCostAndUsage', Resource: '*' },
      ],
    }, parent);

    this.inferenceRoleArn = inference.arn;
    this.controlPlaneRoleArn = controlPlane.arn;
    this.sagemakerExecutionRoleArn = sagemaker.arn;
    this.registerOutputs({ inferenceRoleArn: this.inferenceRoleArn, controlPlaneRoleArn: this.controlPlaneRoleArn, sagemakerExecutionRoleArn: this.sagemakerExecutionRoleArn });
  }
}
