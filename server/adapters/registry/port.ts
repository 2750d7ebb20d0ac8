/**
 * AWS mode: a copy of the model registry in an external registry (a SageMaker
 * Model Package Group), so AWS tooling sees each model version with its approval
 * status and metrics. Postgres stays the source of truth: the mirror is written
 * after the registry changes and read back only for checks and display.
 * Chosen once at start-up from config (null locally) and passed to services.
 */
export interface ModelRegistryMirror {
  readonly kind: 'sagemaker';
  /** Human-readable place versions are mirrored to, for logs and the UI ("SageMaker Model Package Group price-sensitivity in ap-southeast-1"). */
  readonly where: string;
  /**
   * Create the model's group if it is missing, then a package version for this
   * model version, with `v.status` as its approval status; returns the package ARN.
   * Idempotent per model version: when the group already holds a package whose
   * customer metadata `pricesense:modelVersionId` is `v.modelVersionId`, that
   * package's ARN is returned (`created: false`) and nothing is changed, not
   * even its status (use setApprovalStatus). Throws RegistryMirrorError.
   */
  registerVersion(v: MirrorVersion): Promise<{ arn: string; created: boolean }>;
  /**
   * Set the package's approval status, with `comment` as its approval description
   * (on one line, at most 1024 characters; null leaves the description as it is). Throws RegistryMirrorError
   * (`reason: 'not-found'` for an unknown ARN).
   */
  setApprovalStatus(arn: string, status: MirrorApprovalStatus, comment: string | null): Promise<void>;
  /** Read a package back: status, metrics and ids from its customer metadata, creation time. Throws RegistryMirrorError. */
  describeVersion(arn: string): Promise<MirroredVersion>;
}

/** The registry's approval states, which are also SageMaker's ModelApprovalStatus values. */
export type MirrorApprovalStatus = 'PendingManualApproval' | 'Approved' | 'Rejected';

/** What a model version is mirrored with. */
export type MirrorVersion = {
  /** The control plane's ModelVersion id: the idempotency key, kept as `pricesense:modelVersionId`. */
  modelVersionId: string;
  /** Names the group (sanitised to SageMaker's name rules) unless the mirror is configured with a fixed group. */
  modelName: string;
  /** The registry's version number (SageMaker numbers packages in its own group order). */
  version: number;
  /** s3:// URI of the model: a single object (model.json) or a SageMaker archive (….tar.gz). Other schemes are not referenced. */
  artifactUri: string;
  sha256: string;
  algorithm: string;
  datasetVersionId: string;
  datasetHash: string;
  /**
   * Flat numbers kept as customer metadata (a SageMaker package holds at most 50
   * entries: 5 are ours, so past 45 metrics the rest are left out, in the given
   * order after accuracy and macro_f1). Non-finite values are left out.
   */
  metrics: { accuracy: number; macro_f1: number; [name: string]: number };
  status: MirrorApprovalStatus;
  /** Shown in SageMaker; control characters become spaces, cut at SageMaker's 1024-character limit. */
  description: string;
  /** The container that serves this version; null or absent: the mirror's configured image (none configured: no inference specification). */
  imageUri?: string | null;
  /** s3:// JSON with the full evaluation report, referenced as the package's model-quality statistics. */
  metricsReportUri?: string | null;
  /** Code version (git commit) that trained the model, kept as the package's CommitId. */
  codeVersion?: string | null;
};

/** A mirrored package as the external registry reports it. */
export type MirroredVersion = {
  arn: string;
  groupName: string | null;
  /** SageMaker's version number within its group (not necessarily the registry's). */
  packageVersion: number | null;
  /** Null when the registry reports none. */
  status: MirrorApprovalStatus | null;
  approvalDescription: string | null;
  /** Numeric customer metadata (everything not under `pricesense:`). */
  metrics: Record<string, number>;
  modelVersionId: string | null;
  createdAt: Date | null;
};

/**
 * The external registry refused or could not be reached. The message names the
 * API operation and carries the service's own message
 * ("SageMaker CreateModelPackage failed for price-sensitivity v3 in group price-sensitivity: ValidationException (HTTP 400): …").
 */
export class RegistryMirrorError extends Error {
  constructor(
    message: string,
    /** The API operation that failed (CreateModelPackage…), or the adapter step that refused the input. */
    public readonly operation: string,
    /** `unreachable`: no answer (network, timeout); `not-found`: no such package or group; `refused`: any other error answer or invalid input. */
    public readonly reason: 'unreachable' | 'not-found' | 'refused' = 'refused',
  ) {
    super(message);
    this.name = 'RegistryMirrorError';
  }
}
