/**
 * A job file that cannot become a job: missing, not compilable, without a default-exported
 * function, or failing while it loads. The message names the file as the user gave it and says
 * what to change; every mode (run-local, per-job, session, application) reports the same one.
 */
export class JobFileError extends Error {
  /** The job file as the user named it (or as it was uploaded). */
  readonly jobFile: string;

  constructor(jobFile: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JobFileError';
    this.jobFile = jobFile;
  }
}

export const noDefaultExport = (jobFile: string): JobFileError =>
  new JobFileError(jobFile, `Job file ${jobFile} must default-export a function (env, args) => void that builds the pipeline`);

export const jobFileMissing = (jobFile: string): JobFileError => new JobFileError(jobFile, `Job file ${jobFile} does not exist`);
