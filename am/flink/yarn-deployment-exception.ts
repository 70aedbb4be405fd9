/**
 * Flink's YarnClusterDescriptor.YarnDeploymentException: a Flink cluster could not be deployed on
 * YARN (it does not fit the cluster, or the application failed while it deployed). The message is
 * meant for the user as it is; the CLI prints it and exits 1.
 */
export class YarnDeploymentException extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'YarnDeploymentException';
  }
}
