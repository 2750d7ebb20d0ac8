import { asList, ofType, parsePolicy, violation, type CapturedResource, type Policy } from './types';

/**
 * S3 rules. Bucket settings live in separate resources (encryption, public
 * access block, policy, versioning, lifecycle) that name their bucket by ID, so
 * each rule looks for the companion resource of every bucket.
 */
const BUCKET = 'aws:s3/bucket:Bucket';

function companions(resources: readonly CapturedResource[], type: string, bucket: CapturedResource) {
  return ofType(resources, type).filter((r) => r.inputs.bucket === bucket.id);
}

type Rule = { applyServerSideEncryptionByDefault?: { sseAlgorithm?: string; kmsMasterKeyId?: string } };

export const bucketsEncryptedWithKms: Policy = {
  name: 'buckets-encrypted-with-kms',
  description: 'Every S3 bucket encrypts objects by default with SSE-KMS and a named (customer-managed) key.',
  check: (resources) => ofType(resources, BUCKET).flatMap((b) => {
    const configs = companions(resources, 'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration', b);
    const ok = configs.some((c) => asList(c.inputs.rules as Rule[]).some((r) => r.applyServerSideEncryptionByDefault?.sseAlgorithm === 'aws:kms' && Boolean(r.applyServerSideEncryptionByDefault.kmsMasterKeyId)));
    return ok ? [] : [violation('buckets-encrypted-with-kms', b, 'no default SSE-KMS encryption with a customer-managed key')];
  }),
};

export const bucketsBlockPublicAccess: Policy = {
  name: 'buckets-block-public-access',
  description: 'Every S3 bucket has a public access block with all four settings on.',
  check: (resources) => ofType(resources, BUCKET).flatMap((b) => {
    const blocks = companions(resources, 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock', b);
    const ok = blocks.some((p) => ['blockPublicAcls', 'blockPublicPolicy', 'ignorePublicAcls', 'restrictPublicBuckets'].every((k) => p.inputs[k] === true));
    return ok ? [] : [violation(bucketsBlockPublicAccess.name, b, 'public access is not fully blocked (all of blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets)')];
  }),
};

type Statement = { Effect?: string; Action?: string | string[]; Resource?: string | string[]; Condition?: Record<string, Record<string, unknown>>; Principal?: unknown };

/** A Deny of every S3 action to everyone when aws:SecureTransport is false, covering the bucket and its objects. */
function deniesPlainHttp(statements: Statement[]): boolean {
  return statements.some((s) => s.Effect === 'Deny'
    && (s.Principal === '*' || (s.Principal as { AWS?: unknown })?.AWS === '*')
    && asList(s.Action).some((a) => a === 's3:*' || a === '*')
    && String(s.Condition?.Bool?.['aws:SecureTransport']) === 'false'
    && asList(s.Resource).some((r) => r.endsWith('/*')) && asList(s.Resource).some((r) => !r.endsWith('/*')));
}

export const bucketsRequireTls: Policy = {
  name: 'buckets-require-tls',
  description: 'Every S3 bucket policy denies all requests not made over TLS (aws:SecureTransport false), for the bucket and its objects.',
  check: (resources) => ofType(resources, BUCKET).flatMap((b) => {
    const policies = companions(resources, 'aws:s3/bucketPolicy:BucketPolicy', b);
    const ok = policies.some((p) => deniesPlainHttp(asList(parsePolicy(p.inputs.policy)?.Statement as Statement[] | Statement | undefined)));
    return ok ? [] : [violation(bucketsRequireTls.name, b, 'no bucket policy denying requests without TLS')];
  }),
};

type LifecycleRule = { status?: string; transitions?: { storageClass?: string }[]; noncurrentVersionExpiration?: { noncurrentDays?: number } };

export const bucketsVersionedWithLifecycle: Policy = {
  name: 'buckets-versioned-with-lifecycle',
  description: 'Every S3 bucket is versioned, moves objects to Intelligent-Tiering and expires noncurrent versions.',
  check: (resources) => ofType(resources, BUCKET).flatMap((b) => {
    const found = [];
    const versioned = companions(resources, 'aws:s3/bucketVersioning:BucketVersioning', b)
      .some((v) => (v.inputs.versioningConfiguration as { status?: string } | undefined)?.status === 'Enabled');
    if (!versioned) found.push(violation(bucketsVersionedWithLifecycle.name, b, 'versioning is not enabled'));
    const rules = companions(resources, 'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration', b)
      .flatMap((l) => asList(l.inputs.rules as LifecycleRule[])).filter((r) => r.status === 'Enabled');
    if (!rules.some((r) => asList(r.transitions).some((t) => t.storageClass === 'INTELLIGENT_TIERING'))) found.push(violation(bucketsVersionedWithLifecycle.name, b, 'no lifecycle transition to INTELLIGENT_TIERING'));
    if (!rules.some((r) => (r.noncurrentVersionExpiration?.noncurrentDays ?? 0) > 0)) found.push(violation(bucketsVersionedWithLifecycle.name, b, 'noncurrent versions never expire'));
    return found;
  }),
};
