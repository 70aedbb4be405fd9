import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { badRequest } from '../../rm/common/errors.ts';

/** One uploaded file from a request body. */
export interface UploadedFile {
  readonly fileName: string;
  readonly bytes: Buffer;
}



/** An upload past `rest.server.max-content-length`: answered 413, naming the key to raise. */
export class UploadTooLargeError extends Error {
  readonly status = 413;

  constructor(maxBytes: number) {
    super(`The upload is larger than rest.server.max-content-length (${maxBytes} bytes); send a smaller file or raise rest.server.max-content-length`);
    this.name = 'UploadTooLargeError';
  }
}

/**
 * Reads `POST /jars/upload` as it streams in: multipart/form-data (RFC 7578, parsed by busboy)
 * with the file in field `field` (or else the first part with a filename), or the raw file as the
 * body named by `rawName`. No more than `maxBytes` is ever held; past it the upload is refused.
 */
export function readJobFileUpload(
  body: Readable,
  headers: IncomingHttpHeaders,
  options: { readonly maxBytes: number; readonly field?: string; readonly rawName?: string | undefined },
): Promise<UploadedFile> {
  const declared = Number(headers['content-length']);
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    body.resume();
    return Promise.reject(new UploadTooLargeError(options.maxBytes));
  }
  return /^multipart\/form-data/i.test(headers['content-type'] ?? '') ? readMultipart(body, headers, options) : readRaw(body, options);
}

function readMultipart(body: Readable, headers: IncomingHttpHeaders, options: { readonly maxBytes: number; readonly field?: string }): Promise<UploadedFile> {
  const field = options.field ?? 'jarfile';
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers, limits: { fileSize: options.maxBytes } });
    } catch (err) {
      reject(badRequest(`Malformed multipart/form-data upload: ${(err as Error).message}`));
      body.resume();
      return;
    }
    const files: { field: string; fileName: string; bytes: Promise<Buffer> }[] = [];
    let failed = false;
    const fail = (err: Error): void => {
      if (failed) return;
      failed = true;
      body.unpipe(parser);
      body.resume();
      reject(err);
    };
    parser.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      files.push({
        field: name,
        fileName: info.filename ?? '',
        bytes: new Promise((done) => {
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('limit', () => fail(new UploadTooLargeError(options.maxBytes)));
          stream.on('end', () => done(Buffer.concat(chunks)));
        }),
      });
    });
    parser.on('error', (err: Error) => fail(badRequest(`Malformed multipart/form-data upload: ${err.message}`)));
    parser.on('close', () => {
      if (failed) return;
      const chosen = files.find((f) => f.field === field && f.fileName) ?? files.find((f) => f.fileName);
      if (!chosen) {
        reject(badRequest(`Expected a multipart/form-data file in field ${field}`));
        return;
      }
      chosen.bytes.then((bytes) => resolve({ fileName: chosen.fileName, bytes }), reject);
    });
    body.pipe(parser);
  });
}

function readRaw(body: Readable, options: { readonly maxBytes: number; readonly field?: string; readonly rawName?: string | undefined }): Promise<UploadedFile> {
  const field = options.field ?? 'jarfile';
  if (!options.rawName) {
    body.resume();
    return Promise.reject(badRequest(`Upload a job file as multipart/form-data (field ${field}), or as the raw body with ?name= or an x-file-name header`));
  }
  const fileName = options.rawName;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > options.maxBytes) {
        body.off('data', onData);
        body.resume();
        reject(new UploadTooLargeError(options.maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    body.on('data', onData);
    body.on('error', reject);
    body.on('end', () => {
      if (size > options.maxBytes) return;
      if (size === 0) reject(badRequest('The uploaded job file is empty'));
      else resolve({ fileName, bytes: Buffer.concat(chunks) });
    });
  });
}
