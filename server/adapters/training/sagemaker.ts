import 'server-only';
import {
  CreateTrainingJobCommand,
  DescribeTrainingJobCommand,
  SageMakerClient,
  StopTrainingJobCommand,
  type DescribeTrainingJobCommandOutput,
  type TrainingInstanceType,
} from '@aws-sdk/client-sagemaker';
import { METRIC_DEFINITIONS } from './trainer-contract';
import {
  TrainingBackendError,
  TrainingJobNotFoundError,
  type TrainingBackendPort,
  type TrainingJobDescription,
  type TrainingJobSpec,
  type TrainingJobStatus,
} from './port';

export type SageMakerBackendOptions = {
  region: string;
  /** The trainer container image (ECR URI). */
  imageUri: string;
  /** Execution role the job assumes to read the dataset and write the model. */
  roleArn: string;
  /** SageMaker-compatible endpoint (moto); omit for AWS. */
  endpoint?: string;
  /** Omit to use the SDK's default chain (env vars, profile, instance/IRSA role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  volumeSizeGb?: number;
  /**
   * Managed Spot training (EnableManagedSpotTraining). SageMaker then reports billable
   * seconds net of the Spot discount, so the run's cost (billable seconds at the
   * on-demand rate) stays right. Waiting for capacity and re-runs after an
   * interruption may take up to twice the time limit in all.
   */
  spot?: boolean;
};

/** SageMaker's longest wait for a Spot job (MaxWaitTimeInSeconds ≤ 28 days). */
const MAX_WAIT_SECONDS = 2_419_200;

/** The job's StoppingCondition: with Spot, the wait (capacity + interruptions) must cover the run time. */
export function stoppingCondition(maxRuntimeSeconds: number, spot: boolean) {
  if (!spot) return { MaxRuntimeInSeconds: maxRuntimeSeconds };
  return { MaxRuntimeInSeconds: maxRuntimeSeconds, MaxWaitTimeInSeconds: Math.min(MAX_WAIT_SECONDS, 2 * maxRuntimeSeconds) };
}

const STATUSES: readonly TrainingJobStatus[] = ['InProgress', 'Completed', 'Failed', 'Stopping', 'Stopped'];
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH']);

type SdkError = Error & { code?: string; $metadata?: { httpStatusCode?: number }; cause?: { code?: string } };

function isUnreachable(error: SdkError): boolean {
  if (error.$metadata?.httpStatusCode) return false;
  return NETWORK_CODES.has(error.code ?? '') || NETWORK_CODES.has(error.cause?.code ?? '') || error.name === 'TimeoutError';
}

function isNotFound(error: SdkError): boolean {
  return /ResourceNotFound/.test(error.name) || (/Validation/.test(error.name) && /not found|could not find/i.test(error.message));
}

export function createSageMakerClient(opts: Pick<SageMakerBackendOptions, 'region' | 'endpoint' | 'credentials'>): SageMakerClient {
  return new SageMakerClient({ region: opts.region, endpoint: opts.endpoint, credentials: opts.credentials, maxAttempts: 3 });
}

/** Training jobs on Amazon SageMaker running the project's trainer image (trainer/Dockerfile). */
export function createSageMakerBackend(opts: SageMakerBackendOptions): TrainingBackendPort & { client: SageMakerClient } {
  const client = createSageMakerClient(opts);
  const where = `SageMaker in ${opts.region}${opts.endpoint ? ` at ${opts.endpoint}` : ''}`;

  const wrap = (action: string, error: unknown): TrainingBackendError => {
    const e = error as SdkError;
    if (isUnreachable(e)) return new TrainingBackendError(`Could not reach ${where} to ${action}: ${e.cause?.code ?? e.code ?? e.name} ${e.message}`.trim(), true);
    const status = e.$metadata?.httpStatusCode;
    return new TrainingBackendError(`${where} refused to ${action}: ${e.name}${status ? ` (HTTP ${status})` : ''}: ${e.message}`);
  };

  async function submit(job: TrainingJobSpec) {
    try {
      await client.send(
        new CreateTrainingJobCommand({
          TrainingJobName: job.jobName,
          AlgorithmSpecification: { TrainingImage: opts.imageUri, TrainingInputMode: 'File', MetricDefinitions: METRIC_DEFINITIONS },
          RoleArn: opts.roleArn,
          HyperParameters: job.hyperparameters,
          InputDataConfig: [
            {
              ChannelName: 'train',
              ContentType: 'application/x-parquet',
              DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: job.trainDataUri, S3DataDistributionType: 'FullyReplicated' } },
            },
          ],
          OutputDataConfig: { S3OutputPath: job.outputUri },
          ResourceConfig: { InstanceType: job.instanceType as TrainingInstanceType, InstanceCount: 1, VolumeSizeInGB: opts.volumeSizeGb ?? 30 },
          StoppingCondition: stoppingCondition(job.maxRuntimeSeconds, opts.spot === true),
          ...(opts.spot ? { EnableManagedSpotTraining: true } : {}),
          Tags: Object.entries(job.tags).map(([Key, Value]) => ({ Key, Value })),
        }),
      );
    } catch (error) {
      throw wrap(`start training job ${job.jobName}`, error);
    }
    return { jobName: job.jobName };
  }

  async function describe(jobName: string): Promise<TrainingJobDescription> {
    let out: DescribeTrainingJobCommandOutput;
    try {
      out = await client.send(new DescribeTrainingJobCommand({ TrainingJobName: jobName }));
    } catch (error) {
      if (isNotFound(error as SdkError)) throw new TrainingJobNotFoundError(jobName);
      throw wrap(`describe training job ${jobName}`, error);
    }
    const status = out.TrainingJobStatus as TrainingJobStatus | undefined;
    if (!status || !STATUSES.includes(status)) throw new TrainingBackendError(`${where} reported an unknown status "${status}" for training job ${jobName}.`);
    return {
      jobName,
      status,
      secondaryStatus: out.SecondaryStatus ?? null,
      failureReason: out.FailureReason ?? null,
      finalMetrics: (out.FinalMetricDataList ?? []).filter((m) => m.MetricName && Number.isFinite(m.Value)).map((m) => ({ name: m.MetricName!, value: m.Value! })),
      modelArtifactsS3Uri: out.ModelArtifacts?.S3ModelArtifacts ?? null,
      billableSeconds: out.BillableTimeInSeconds ?? null,
      spot: out.EnableManagedSpotTraining === true,
      instanceType: out.ResourceConfig?.InstanceType ?? null,
      startTime: out.TrainingStartTime ?? null,
      endTime: out.TrainingEndTime ?? null,
      hyperparameters: out.HyperParameters ?? {},
      inputChannels: (out.InputDataConfig ?? []).map((c) => ({ name: c.ChannelName ?? '', s3Uri: c.DataSource?.S3DataSource?.S3Uri ?? '', contentType: c.ContentType ?? null })),
      metricDefinitions: (out.AlgorithmSpecification?.MetricDefinitions ?? []).map((m) => ({ name: m.Name ?? '', regex: m.Regex ?? '' })),
    };
  }

  async function stop(jobName: string) {
    try {
      await client.send(new StopTrainingJobCommand({ TrainingJobName: jobName }));
      return { stopped: true, message: `Asked ${where} to stop training job ${jobName}; it stops within minutes and bills until it has.` };
    } catch (error) {
      const e = error as SdkError;
      if (isUnreachable(e)) return { stopped: false, message: `Could not reach ${where} to stop training job ${jobName} (${e.cause?.code ?? e.code ?? e.name}); it was not stopped.` };
      const status = e.$metadata?.httpStatusCode ?? 0;
      // A 5xx or "not implemented" answer: this API (moto, for one) has no StopTrainingJob.
      if (status >= 500 || /NotImplemented|UnknownOperation|InternalFailure/i.test(e.name)) {
        return { stopped: false, message: `${where} cannot stop training jobs (StopTrainingJob answered ${e.name}${status ? `, HTTP ${status}` : ''}); training job ${jobName} was not stopped.` };
      }
      return { stopped: false, message: `${where} did not stop training job ${jobName}: ${e.name}: ${e.message}` };
    }
  }

  return { kind: 'sagemaker', where: opts.spot ? `${where} (Managed Spot)` : where, client, submit, describe, stop };
}
