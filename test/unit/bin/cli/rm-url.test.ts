import { describe, expect, it } from 'vitest';
import { createCliContext, normalizeRmUrl } from '../../../../bin/cli/cli-context.ts';

describe('--rm / WEFT_RM', () => {
  it('takes host:port as http://host:port, and full URLs as given without a trailing slash', () => {
    expect(normalizeRmUrl('localhost:8088')).toBe('http://localhost:8088');
    expect(normalizeRmUrl(' rmhost:8088/ ')).toBe('http://rmhost:8088');
    expect(normalizeRmUrl('http://localhost:8088/')).toBe('http://localhost:8088');
    expect(normalizeRmUrl('https://gw.example.com/yarn/')).toBe('https://gw.example.com/yarn');
    expect(createCliContext({ rm: '127.0.0.1:8088' }, {}).rmUrl).toBe('http://127.0.0.1:8088');
    expect(createCliContext({}, { WEFT_RM: 'rm:9000' }).rmUrl).toBe('http://rm:9000');
  });

  it('refuses what is not an http(s) address, naming where it came from', () => {
    expect(() => normalizeRmUrl('ftp://rm:21')).toThrow("--rm 'ftp://rm:21': the ResourceManager speaks http or https, not ftp");
    expect(() => normalizeRmUrl('http://')).toThrow(/--rm 'http:\/\/' is not a ResourceManager address \(expected host:port or http:\/\/host:port/);
    expect(() => normalizeRmUrl('local host:80')).toThrow(/is not a ResourceManager address/);
    expect(() => createCliContext({}, { WEFT_RM: 'http://rm:8088?x=1' })).toThrow(/^WEFT_RM 'http:\/\/rm:8088\?x=1' is not a ResourceManager address/);
  });
});
