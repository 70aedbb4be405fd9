import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readJobFileUpload, UploadTooLargeError } from '../../../../runtime/rest/job-file-upload.ts';
import { tokenizeArguments } from '../../../../runtime/rest/program-args.ts';
import { backpressureLevel } from '../../../../runtime/rest/vertex-details-info.ts';

describe('Flink REST helpers', () => {
  it('maps back-pressured time ratios to Flink levels: ok <= 0.10 < low <= 0.5 < high', () => {
    expect([0, 0.1, 0.1001, 0.5, 0.5001, 1].map(backpressureLevel)).toEqual(['ok', 'ok', 'low', 'low', 'high', 'high']);
  });

  it('tokenizes programArgs with quotes as Flink does', () => {
    expect(tokenizeArguments('--input "a b.txt" --name \'x y\'  --n 5')).toEqual(['--input', 'a b.txt', '--name', 'x y', '--n', '5']);
    expect(tokenizeArguments(undefined)).toEqual([]);
  });

  const multipartBody = (content: Buffer): Buffer =>
    Buffer.concat([
      Buffer.from('--XyZ\r\nContent-Disposition: form-data; name="other"\r\n\r\nvalue\r\n'),
      Buffer.from('--XyZ\r\nContent-Disposition: form-data; name="jarfile"; filename="job.ts"\r\nContent-Type: application/octet-stream\r\n\r\n'),
      content,
      Buffer.from('\r\n--XyZ--\r\n'),
    ]);
  // Chunks of 3 bytes, so a boundary split across chunks is read as a streamed upload is.
  const streamOf = (body: Buffer): Readable => Readable.from(Array.from({ length: Math.ceil(body.length / 3) }, (_, i) => body.subarray(i * 3, i * 3 + 3)));

  it('reads the jarfile part of a multipart body as it streams, binary content intact', async () => {
    const content = Buffer.from([0x00, 0x0d, 0x0a, 0xff, 0x2d, 0x2d]);
    const body = multipartBody(content);
    const file = await readJobFileUpload(streamOf(body), { 'content-type': 'multipart/form-data; boundary=XyZ' }, { maxBytes: 1000 });
    expect(file.fileName).toBe('job.ts');
    expect(file.bytes.equals(content)).toBe(true);
    await expect(readJobFileUpload(streamOf(body), { 'content-type': 'multipart/form-data' }, { maxBytes: 1000 })).rejects.toThrow(/Malformed multipart\/form-data upload/);
  });

  it('refuses an upload past rest.server.max-content-length, naming the key, whether declared or streamed', async () => {
    const big = multipartBody(Buffer.alloc(64, 1));
    const headers = { 'content-type': 'multipart/form-data; boundary=XyZ' };
    await expect(readJobFileUpload(streamOf(big), headers, { maxBytes: 32 })).rejects.toThrow(UploadTooLargeError);
    await expect(readJobFileUpload(streamOf(big), { ...headers, 'content-length': String(big.length) }, { maxBytes: 32 })).rejects.toThrow(/rest\.server\.max-content-length \(32 bytes\)/);
    await expect(readJobFileUpload(streamOf(Buffer.alloc(64)), {}, { maxBytes: 32, rawName: 'job.ts' })).rejects.toThrow(UploadTooLargeError);
    const raw = await readJobFileUpload(streamOf(Buffer.from('export {}')), {}, { maxBytes: 32, rawName: 'job.ts' });
    expect(raw).toEqual({ fileName: 'job.ts', bytes: Buffer.from('export {}') });
  });
});
