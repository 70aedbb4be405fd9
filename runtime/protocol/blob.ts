/**
 * The JobManager's blob service (Flink's BlobServer, reduced): job files uploaded through
 * `POST /jars/upload` or shipped with a per-job/application submission are served to
 * TaskManagers as raw bytes at this path on the JobManager's port.
 */
export const BLOB_PATH = '/rpc/blob/:blobKey';
export const blobUrl = (jobManagerAddress: string, blobKey: string): string =>
  `${jobManagerAddress.replace(/\/+$/, '')}/rpc/blob/${encodeURIComponent(blobKey)}`;
