import { describe, expect, it } from 'vitest';
import { parseMultipartFile } from '../../../../runtime/rest/multipart.ts';
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

  it('reads the jarfile part of a multipart body, binary content intact', () => {
    const content = Buffer.from([0x00, 0x0d, 0x0a, 0xff, 0x2d, 0x2d]);
    const body = Buffer.concat([
      Buffer.from('--XyZ\r\nContent-Disposition: form-data; name="other"\r\n\r\nvalue\r\n'),
      Buffer.from('--XyZ\r\nContent-Disposition: form-data; name="jarfile"; filename="job.ts"\r\nContent-Type: application/octet-stream\r\n\r\n'),
      content,
      Buffer.from('\r\n--XyZ--\r\n'),
    ]);
    const file = parseMultipartFile(body, 'multipart/form-data; boundary=XyZ');
    expect(file?.fileName).toBe('job.ts');
    expect(file?.bytes.equals(content)).toBe(true);
    expect(parseMultipartFile(body, 'multipart/form-data')).toBeUndefined();
  });
});
