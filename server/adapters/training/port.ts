/**
 * Where a training run executes when it is not on this worker: a remote job
 * service (SageMaker) that runs the trainer container image against the dataset
 * version's rows in object storage and writes the model to an output location.
 * Chosen once at start-up from config and passed to the worker; the worker
 * submits, polls `describe` and asks `stop` on cancel.
 */
export interface TrainingBackendPort {
  readonly kind: 'sagemaker';
  /** Human-readable place jobs run in, for logs ("SageMaker in ap-southeast-1"). */
  readonly where: string;
  /** Start a job. Throws TrainingBackendError (e.g. the name is taken, the role is invalid, the API is unreachable). */
  submit(job: TrainingJobSpec): Promise<{ jobName: string }>;
  /** The job's current state. Throws TrainingJobNotFoundError or TrainingBackendError. */
  describe(jobName: string): Promise<TrainingJobDescription>;
  /**
   * Ask the service to stop the job. Never throws: when the service cannot stop
   * it (the job already ended, the API does not implement stopping, the API is
   * unreachable) it answers `stopped: false` with a message saying why.
   */
  stop(jobName: string): Promise<{ stopped: boolean; message: string }>;
}

export type TrainingJobSpec = {
  /** ≤ 63 characters of [a-zA-Z0-9-], unique in the account and region. */
  jobName: string;
  runId: string;
  /** Hyperparameters as the service passes them to the container (strings). */
  hyperparameters: Record<string, string>;
  /** Prefix URI (s3://bucket/…/) holding the training rows; mounted as the `train` channel. */
  trainDataUri: string;
  /** Prefix URI the service writes the model archive under. */
  outputUri: string;
  instanceType: string;
  maxRuntimeSeconds: number;
  tags: Record<string, string>;
};

export type TrainingJobStatus = 'InProgress' | 'Completed' | 'Failed' | 'Stopping' | 'Stopped';

export type TrainingJobDescription = {
  jobName: string;
  status: TrainingJobStatus;
  /** Finer-grained state ("Starting", "Downloading", "Training", "Uploading"…), when the service reports one. */
  secondaryStatus: string | null;
  failureReason: string | null;
  /** Last value of each metric the job's metric definitions extracted from its logs. */
  finalMetrics: { name: string; value: number }[];
  /** The model archive (s3://…/model.tar.gz) once the job completed. */
  modelArtifactsS3Uri: string | null;
  /** Seconds the service bills for, when it reports them. */
  billableSeconds: number | null;
  /** Ran as Managed Spot training (billable seconds are then net of the Spot discount). */
  spot: boolean;
  instanceType: string | null;
  startTime: Date | null;
  endTime: Date | null;
  /** As submitted, for audits and tests (the service may not echo everything back). */
  hyperparameters: Record<string, string>;
  inputChannels: { name: string; s3Uri: string; contentType: string | null }[];
  metricDefinitions: { name: string; regex: string }[];
};

/** The service answered with an error, or could not be reached (`unreachable`). */
export class TrainingBackendError extends Error {
  constructor(
    message: string,
    public readonly unreachable = false,
  ) {
    super(message);
    this.name = 'TrainingBackendError';
  }
}

export class TrainingJobNotFoundError extends TrainingBackendError {
  constructor(public readonly jobName: string) {
    super(`No training job named "${jobName}".`);
    this.name = 'TrainingJobNotFoundError';
  }
}
