import { mkdir, rename, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { blobUrl } from '../protocol/blob.ts';
import { prepareJobFileDirectory } from '../api/job-file-directory.ts';

/** Fetches one blob's bytes; injected so tests can serve files without HTTP. */
export type BlobFetcher = (url: string) => Promise<Uint8Array>;

export const httpBlobFetcher: BlobFetcher = async (url) => {
  const res = await fetch(url, { signal: AbortSignal.timeout(60_000) });
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
  return new Uint8Array(await res.arrayBuffer());
};

/**
 * Job files downloaded from the JobManager's blob service (Flink's BlobCache), once per blob key,
 * into `<dir>/<blobKey>/<fileName>`, under a directory prepared so that compiled job files
 * importing 'weft' load from it (prepareJobFileDirectory).
 */
export class BlobCache {
  private readonly jobManagerUrl: string;
  private readonly dir: string;
  private readonly fetcher: BlobFetcher;
  private readonly files = new Map<string, Promise<string>>();
  private prepared: Promise<void> | null = null;

  constructor(jobManagerUrl: string, dir: string, fetcher: BlobFetcher = httpBlobFetcher) {
    this.jobManagerUrl = jobManagerUrl;
    this.dir = dir;
    this.fetcher = fetcher;
  }

  /** The local path of the blob, downloading it on first use; a failed download is retried next time. */
  get(blobKey: string, fileName: string): Promise<string> {
    const key = `${blobKey}/${fileName}`;
    let file = this.files.get(key);
    if (!file) {
      file = this.download(blobKey, fileName);
      this.files.set(key, file);
      file.catch(() => this.files.delete(key));
    }
    return file;
  }

  private async download(blobKey: string, fileName: string): Promise<string> {
    if (!/^[A-Za-z0-9._-]+$/.test(blobKey)) throw new Error(`invalid blob key '${blobKey}'`);
    const name = basename(fileName);
    if (name === '' || name === '.' || name === '..') throw new Error(`invalid job file name '${fileName}'`);
    await (this.prepared ??= this.prepare());
    const bytes = await this.fetcher(blobUrl(this.jobManagerUrl, blobKey));
    const dir = join(this.dir, blobKey);
    await mkdir(dir, { recursive: true });
    const target = join(dir, name);
    const partial = `${target}.${process.pid}.part`;
    await writeFile(partial, bytes);
    await rename(partial, target);
    return target;
  }

  private async prepare(): Promise<void> {
    prepareJobFileDirectory(this.dir);
  }
}
