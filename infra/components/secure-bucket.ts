import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { StackConfig } from '../../lib/infra-config';
import { namedTags, policyJson, stackPrefix, type PolicyStatement } from './common';

export type SecureBucketArgs = {
  stack: StackConfig;
  /** What the bucket holds: part of its name (`pricesense-dev-artifacts-…`) and its Name tag. */
  purpose: string;
  /** The customer-managed KMS key every object is encrypted with (SSE-KMS with an S3 bucket key). */
  kmsKeyArn: pulumi.Input<string>;
  /**
   * Statements added to the bucket policy after the TLS-only deny (e.g. CloudTrail's
   * write access). A function of the bucket's ARN, so callers need not create it first.
   */
  extraStatements?: (bucketArn: pulumi.Output<string>) => PolicyStatement[];
};

/**
 * An S3 bucket with the project's non-negotiables: SSE-KMS with the stack's key,
 * all public access blocked, ACLs disabled, versioning, a policy refusing any
 * request not made over TLS, and a lifecycle moving objects to Intelligent-Tiering
 * and expiring old versions. `stack.protectData` decides teardown: dev buckets
 * are emptied by `pulumi destroy` (forceDestroy); prod buckets are protected and
 * keep their objects.
 */
export class SecureBucket extends pulumi.ComponentResource {
  readonly bucketName: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: SecureBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super('pricesense:infra:SecureBucket', name, {}, opts);
    const { stack } = args;
    const resourceName = `${stackPrefix(stack)}-${args.purpose}`;
    const child = { parent: this, protect: stack.protectData };

    const bucket = new aws.s3.Bucket(resourceName, { forceDestroy: !stack.protectData, tags: namedTags(stack, args.purpose) }, child);
    this.bucketName = bucket.bucket;
    this.arn = bucket.arn;
    new aws.s3.BucketOwnershipControls(`${resourceName}-ownership`, { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } }, child);
    const publicAccess = new aws.s3.BucketPublicAccessBlock(`${resourceName}-public-access`, {
      bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
    }, child);
    new aws.s3.BucketServerSideEncryptionConfiguration(`${resourceName}-encryption`, {
      bucket: bucket.id,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: args.kmsKeyArn }, bucketKeyEnabled: true }],
    }, child);
    const versioning = new aws.s3.BucketVersioning(`${resourceName}-versioning`, {
      bucket: bucket.id, versioningConfiguration: { status: stack.s3.versioning ? 'Enabled' : 'Suspended' },
    }, child);
    new aws.s3.BucketLifecycleConfiguration(`${resourceName}-lifecycle`, {
      bucket: bucket.id,
      rules: [
        {
          id: 'intelligent-tiering', status: 'Enabled', filter: {},
          transitions: [{ days: stack.s3.intelligentTieringAfterDays, storageClass: 'INTELLIGENT_TIERING' }],
        },
        {
          id: 'expire-old-versions', status: 'Enabled', filter: {},
          noncurrentVersionExpiration: { noncurrentDays: stack.s3.noncurrentVersionDays },
          expiration: { expiredObjectDeleteMarker: true },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        },
      ],
    }, { ...child, dependsOn: [versioning] });
    new aws.s3.BucketPolicy(`${resourceName}-policy`, {
      bucket: bucket.id,
      policy: policyJson([
        {
          Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*',
          Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
        ...(args.extraStatements?.(bucket.arn) ?? []),
      ]),
    }, { ...child, dependsOn: [publicAccess] });

    this.registerOutputs({ bucketName: this.bucketName, arn: this.arn });
  }
}
