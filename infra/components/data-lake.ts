import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { StackConfig } from '../../lib/infra-config';
import { arn, namedTags, policyJson, stackPrefix, type AwsContext } from './common';
import { SecureBucket } from './secure-bucket';

export type DataLakeArgs = {
  stack: StackConfig;
  aws: AwsContext;
};

/** The three buckets, by role. */
export type LakeBucket = 'raw' | 'curated' | 'artifacts';
export const LAKE_BUCKETS: readonly LakeBucket[] = ['raw', 'curated', 'artifacts'];

/**
 * The stack's data key and buckets:
 * - `artifacts` is the platform's storage (S3_BUCKET): datasets as imported
 *   (`datasets/…/raw/`) and curated (`…/curated/`), models (`runs/`, `models/`),
 *   deployment manifests (`deployments/`) and inference telemetry (`telemetry/`);
 * - `raw` is the landing zone for source transaction files from upstream systems
 *   (the control plane may read it);
 * - `curated` is for curated extracts shared with analysts (Athena, notebooks).
 * The KMS key also encrypts the database, node disks and Kubernetes secrets.
 */
export class DataLake extends pulumi.ComponentResource {
  readonly keyArn: pulumi.Output<string>;
  readonly buckets: Record<LakeBucket, { name: pulumi.Output<string>; arn: pulumi.Output<string> }>;

  constructor(name: string, args: DataLakeArgs, opts?: pulumi.ComponentResourceOptions) {
    super('pricesense:infra:DataLake', name, {}, opts);
    const { stack } = args;
    const prefix = stackPrefix(stack);
    const key = new aws.kms.Key(`${prefix}-data-key`, {
      description: `PriceSense ${stack.name}: buckets, database, node disks, Kubernetes secrets`,
      enableKeyRotation: true,
      deletionWindowInDays: stack.protectData ? 30 : 7,
      // The account administers the key; services use it through IAM policies and grants.
      policy: policyJson([{ Sid: 'AccountAdministers', Effect: 'Allow', Principal: { AWS: arn(args.aws, 'iam', 'root', { region: false }) }, Action: 'kms:*', Resource: '*' }]),
      tags: namedTags(stack, 'data-key'),
    }, { parent: this, protect: stack.protectData });
    new aws.kms.Alias(`${prefix}-data-key-alias`, { name: `alias/${prefix}-data`, targetKeyId: key.keyId }, { parent: this });
    this.keyArn = key.arn;

    const made = Object.fromEntries(LAKE_BUCKETS.map((purpose) => {
      const bucket = new SecureBucket(`${prefix}-${purpose}`, { stack, purpose, kmsKeyArn: key.arn }, { parent: this });
      return [purpose, { name: bucket.bucketName, arn: bucket.arn }];
    })) as DataLake['buckets'];
    this.buckets = made;

    this.registerOutputs({ keyArn: this.keyArn, buckets: this.buckets });
  }
}
