import 'server-only';
import {
  CreateModelPackageCommand,
  CreateModelPackageGroupCommand,
  DescribeModelPackageCommand,
  DescribeModelPackageGroupCommand,
  paginateListModelPackages,
  SageMakerClient,
  UpdateModelPackageCommand,
  type DescribeModelPackageCommandOutput,
  type InferenceSpecification,
  type ModelPackageContainerDefinition,
} from '@aws-sdk/client-sagemaker';
import {
  RegistryMirrorError,
  type MirrorApprovalStatus,
  type MirroredVersion,
  type MirrorVersion,
  type ModelRegistryMirror,
} from './port';

export type SageMakerRegistryMirrorOptions = {
  region: string;
  /** SageMaker-compatible endpoint (moto); omit for AWS. */
  endpoint?: string;
  /** Omit to use the SDK's default chain (env vars, profile, instance/IRSA role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** One fixed group for every model (SAGEMAKER_MODEL_PACKAGE_GROUP); omitted: a group per model name. */
  groupName?: string;
  /** Container for versions that name none (INFERENCE_IMAGE_URI, else TRAINER_IMAGE_URI). */
  imageUri?: string | null;
  /** Per HTTP request, so a silent endpoint fails instead of hanging an approval; the SDK retries within maxAttempts. */
  requestTimeoutMs?: number;
};

/** Customer metadata keys this adapter owns; everything else in the map is a metric. */
export const METADATA = {
  modelVersionId: 'pricesense:modelVersionId',
  sha256: 'pricesense:sha256',
  datasetVersionId: 'pricesense:datasetVersionId',
  datasetHash: 'pricesense:datasetHash',
  algorithm: 'pricesense:algorithm',
} as const;

// SageMaker's limits (botocore service model): group names, metadata map (≤ 50 entries), descriptions.
const GROUP_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const METADATA_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
const METADATA_KEY_INVALID = /[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu;
const MAX_METADATA_ENTRIES = 50;
const MAX_DESCRIPTION = 1024;
const STATUSES: readonly MirrorApprovalStatus[] = ['PendingManualApproval', 'Approved', 'Rejected'];
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

type SdkError = Error & { code?: string; $metadata?: { httpStatusCode?: number }; cause?: { code?: string } };

/** A SageMaker Model Package Group name for a model name: runs of other characters become one hyphen, at most 63 characters. */
export function modelPackageGroupName(modelName: string): string {
  const name = modelName.replace(/[^a-zA-Z0-9]+/g, '-').replace(/^-+/, '').slice(0, 63).replace(/-+$/, '');
  if (!GROUP_NAME.test(name)) {
    throw new RegistryMirrorError(`Model name "${modelName}" has no letters or digits to name a SageMaker Model Package Group; set SAGEMAKER_MODEL_PACKAGE_GROUP.`, 'registerVersion');
  }
  return name;
}

/** Model packages in SageMaker Model Package Groups, one package per registry model version. */
export function createSageMakerRegistryMirror(opts: SageMakerRegistryMirrorOptions): ModelRegistryMirror & { client: SageMakerClient } {
  if (opts.groupName !== undefined && !GROUP_NAME.test(opts.groupName)) {
    throw new Error(`"${opts.groupName}" is not a SageMaker Model Package Group name (1–63 letters, digits and hyphens, starting and ending with a letter or digit).`);
  }
  const client = new SageMakerClient({
    region: opts.region, endpoint: opts.endpoint, credentials: opts.credentials, maxAttempts: 3,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: opts.requestTimeoutMs ?? 20_000 },
  });
  const api = opts.endpoint ?? `SageMaker in ${opts.region}`;
  const where = `${opts.groupName ? `SageMaker Model Package Group ${opts.groupName}` : 'SageMaker Model Package Groups (one per model name)'} in ${opts.region}${opts.endpoint ? ` at ${opts.endpoint}` : ''}`;
  const groupFor = (modelName: string) => opts.groupName ?? modelPackageGroupName(modelName);

  const fail = (operation: string, about: string, error: unknown): RegistryMirrorError => {
    if (error instanceof RegistryMirrorError) return error;
    const e = error as SdkError;
    const status = e.$metadata?.httpStatusCode;
    if (!status && (NETWORK_CODES.has(e.code ?? '') || NETWORK_CODES.has(e.cause?.code ?? '') || e.name === 'TimeoutError')) {
      return new RegistryMirrorError(`SageMaker ${operation} failed for ${about}: could not reach ${api} (${e.cause?.code ?? e.code ?? e.name}).`, operation, 'unreachable');
    }
    const reason = /not found|does not exist|could not find/i.test(e.message) ? 'not-found' : 'refused';
    return new RegistryMirrorError(`SageMaker ${operation} failed for ${about}: ${e.name}${status ? ` (HTTP ${status})` : ''}: ${e.message}`, operation, reason);
  };

  async function call<T>(operation: string, about: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw fail(operation, about, error);
    }
  }

  async function ensureGroup(group: string, modelName: string): Promise<void> {
    try {
      await client.send(new DescribeModelPackageGroupCommand({ ModelPackageGroupName: group }));
      return;
    } catch (error) {
      const failure = fail('DescribeModelPackageGroup', `group ${group}`, error);
      if (failure.reason !== 'not-found') throw failure;
    }
    try {
      await client.send(new CreateModelPackageGroupCommand({
        ModelPackageGroupName: group,
        ModelPackageGroupDescription: clean(`PriceSense model ${modelName}, mirrored from the control plane's model registry (the source of truth).`),
      }));
    } catch (error) {
      // Another process created it between our describe and create: that is what we wanted.
      if (!/already exists/i.test((error as Error).message)) throw fail('CreateModelPackageGroup', `group ${group}`, error);
    }
  }

  /** The group's package for this model version, if any: the description marker narrows the search, the metadata decides. */
  async function findPackage(group: string, modelVersionId: string): Promise<string | null> {
    const pages = paginateListModelPackages({ client, pageSize: 100 }, { ModelPackageGroupName: group, SortBy: 'CreationTime', SortOrder: 'Descending' });
    const candidates: string[] = [];
    await call('ListModelPackages', `group ${group}`, async () => {
      for await (const page of pages) {
        for (const p of page.ModelPackageSummaryList ?? []) {
          const marked = markerOf(p.ModelPackageDescription);
          if (p.ModelPackageArn && (marked === null || marked === modelVersionId)) candidates.push(p.ModelPackageArn);
        }
      }
    });
    for (const arn of candidates) {
      const out = await call('DescribeModelPackage', `model package ${arn}`, () => client.send(new DescribeModelPackageCommand({ ModelPackageName: arn })));
      if (out.CustomerMetadataProperties?.[METADATA.modelVersionId] === modelVersionId) return arn;
    }
    return null;
  }

  async function registerVersion(v: MirrorVersion) {
    const group = groupFor(v.modelName);
    const metadata = customerMetadata(v);
    await ensureGroup(group, v.modelName);
    const existing = await findPackage(group, v.modelVersionId);
    if (existing) return { arn: existing, created: false };
    const out = await call('CreateModelPackage', `${v.modelName} v${v.version} in group ${group}`, () => client.send(new CreateModelPackageCommand({
      ModelPackageGroupName: group,
      ModelPackageDescription: clean(`${marker(v.modelVersionId)} ${v.description}`),
      ModelApprovalStatus: v.status,
      CustomerMetadataProperties: metadata,
      InferenceSpecification: inferenceSpecification(v.imageUri ?? opts.imageUri ?? null, v.artifactUri),
      ModelMetrics: v.metricsReportUri ? { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: v.metricsReportUri } } } : undefined,
      MetadataProperties: v.codeVersion ? { CommitId: clean(v.codeVersion), GeneratedBy: 'pricesense control plane' } : { GeneratedBy: 'pricesense control plane' },
      Domain: 'MACHINE_LEARNING',
      Task: 'CLASSIFICATION',
    })));
    if (!out.ModelPackageArn) throw new RegistryMirrorError(`SageMaker CreateModelPackage answered without a package ARN for ${v.modelName} v${v.version}.`, 'CreateModelPackage');
    return { arn: out.ModelPackageArn, created: true };
  }

  async function setApprovalStatus(arn: string, status: MirrorApprovalStatus, comment: string | null) {
    const current = await call('DescribeModelPackage', `model package ${arn} (before setting its status to ${status})`, () => client.send(new DescribeModelPackageCommand({ ModelPackageName: arn })));
    const metadata = current.CustomerMetadataProperties;
    await call('UpdateModelPackage', `model package ${arn} (status ${status})`, () => client.send(new UpdateModelPackageCommand({
      ModelPackageArn: current.ModelPackageArn ?? arn,
      ModelApprovalStatus: status,
      ApprovalDescription: comment !== null ? clean(comment) : current.ApprovalDescription,
      // SageMaker merges these (a no-op when unchanged); moto replaces the map and would otherwise drop the metrics.
      CustomerMetadataProperties: metadata && Object.keys(metadata).length ? metadata : undefined,
    })));
  }

  async function describeVersion(arn: string): Promise<MirroredVersion> {
    const out = await call('DescribeModelPackage', `model package ${arn}`, () => client.send(new DescribeModelPackageCommand({ ModelPackageName: arn })));
    return toMirroredVersion(arn, out);
  }

  return { kind: 'sagemaker', where, client, registerVersion, setApprovalStatus, describeVersion };
}

function marker(modelVersionId: string): string {
  return `[${modelVersionId}]`;
}

function markerOf(description: string | undefined): string | null {
  return /^\[([^\]\s]+)\]/.exec(description ?? '')?.[1] ?? null;
}

/** SageMaker's description fields refuse control characters (newlines included) and stop at 1024 characters. */
function clean(text: string): string {
  return text.replace(/\p{C}+/gu, ' ').replace(/\s+/g, ' ').trim().slice(0, MAX_DESCRIPTION);
}

function customerMetadata(v: MirrorVersion): Record<string, string> {
  const ours: Record<string, string> = {
    [METADATA.modelVersionId]: v.modelVersionId, [METADATA.sha256]: v.sha256, [METADATA.datasetVersionId]: v.datasetVersionId,
    [METADATA.datasetHash]: v.datasetHash, [METADATA.algorithm]: v.algorithm,
  };
  for (const [key, value] of Object.entries(ours)) {
    if (!METADATA_TEXT.test(value) || value.length > 256) {
      throw new RegistryMirrorError(`Cannot mirror ${v.modelName} v${v.version}: ${key} "${value}" is not valid SageMaker metadata (1–256 letters, digits, spaces and _.:/=+-@).`, 'registerVersion');
    }
  }
  const { accuracy, macro_f1, ...rest } = v.metrics;
  const metrics: Record<string, string> = {};
  let room = MAX_METADATA_ENTRIES - Object.keys(ours).length;
  for (const [name, value] of Object.entries({ accuracy, macro_f1, ...rest })) {
    const key = name.replace(METADATA_KEY_INVALID, '_').slice(0, 128);
    if (room === 0 || !key || key.startsWith('pricesense:') || key in metrics || !Number.isFinite(value)) continue;
    metrics[key] = String(value);
    room--;
  }
  return { ...ours, ...metrics };
}

/** Our inference container serves JSON. The model is referenced as SageMaker expects it: an archive by URL, a single object as uncompressed data. */
function inferenceSpecification(image: string | null, artifactUri: string): InferenceSpecification | undefined {
  if (!image) return undefined;
  const container: ModelPackageContainerDefinition = { Image: image };
  if (artifactUri.startsWith('s3://')) {
    if (artifactUri.endsWith('.tar.gz')) container.ModelDataUrl = artifactUri;
    else container.ModelDataSource = { S3DataSource: { S3Uri: artifactUri, S3DataType: 'S3Object', CompressionType: 'None' } };
  }
  return { Containers: [container], SupportedContentTypes: ['application/json'], SupportedResponseMIMETypes: ['application/json'] };
}

function toMirroredVersion(arn: string, out: DescribeModelPackageCommandOutput): MirroredVersion {
  const metadata = out.CustomerMetadataProperties ?? {};
  const metrics: Record<string, number> = {};
  for (const [key, value] of Object.entries(metadata)) {
    const n = Number(value);
    if (!key.startsWith('pricesense:') && value.trim() !== '' && Number.isFinite(n)) metrics[key] = n;
  }
  const status = out.ModelApprovalStatus as MirrorApprovalStatus | undefined;
  return {
    arn: out.ModelPackageArn ?? arn,
    groupName: out.ModelPackageGroupName ?? null,
    packageVersion: out.ModelPackageVersion ?? null,
    status: status && STATUSES.includes(status) ? status : null,
    approvalDescription: out.ApprovalDescription ?? null,
    metrics,
    modelVersionId: metadata[METADATA.modelVersionId] ?? null,
    createdAt: out.CreationTime ?? null,
  };
}
