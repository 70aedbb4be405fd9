import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WeftError } from '../../../rm/common/errors.ts';
import { ContainerLogFiles, isSafeLogFileName } from '../../../nodemanager/http/container-log-files.ts';

const root = mkdtempSync(join(tmpdir(), 'weft-logs-'));
const logs = join(root, 'logs');
const cid = 'container_1700000000000_0001_01_000002';
const dir = join(logs, 'application_1700000000000_0001', cid);
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'stdout'), 'hello\n');
writeFileSync(join(root, 'secret'), 'SECRET');
symlinkSync(join(root, 'secret'), join(dir, 'sneaky'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const files = new ContainerLogFiles(logs);
const statusOf = (fn: () => unknown): number => {
  try {
    fn();
    return 200;
  } catch (err) {
    return (err as WeftError).status;
  }
};

describe('container log path validation', () => {
  it.each(['..', '.', '../secret', '..\\secret', '/etc/passwd', 'a/b', 'std\0out', '', '..hidden', 'x'.repeat(256)])('rejects file name %j', (name) => {
    expect(isSafeLogFileName(name)).toBe(false);
    expect([400, 404]).toContain(statusOf(() => files.read(cid, name)));
  });

  it('rejects container ids that are not YARN container ids', () => {
    for (const id of ['..', '../logs', 'container_x', 'application_1_0001', `${cid}/..`]) expect(statusOf(() => files.read(id, 'stdout')), id).toBe(400);
  });

  it('does not follow a symlink out of the log dir, and does not list it', () => {
    expect(statusOf(() => files.read(cid, 'sneaky'))).toBe(404);
    expect(files.list(cid).map((f) => f.fileName)).toEqual(['stdout']);
  });

  it('does not follow a container log dir that is itself a symlink', () => {
    const other = 'container_1700000000000_0002_01_000001';
    mkdirSync(join(logs, 'application_1700000000000_0002'), { recursive: true });
    symlinkSync(root, join(logs, 'application_1700000000000_0002', other));
    expect(statusOf(() => files.read(other, 'secret'))).toBe(404);
  });

  it('reads a real log file, whole or by size', () => {
    expect(files.read(cid, 'stdout').toString()).toBe('hello\n');
    expect(files.read(cid, 'stdout', 2).toString()).toBe('he');
    expect(files.read(cid, 'stdout', -3).toString()).toBe('lo\n');
    expect(statusOf(() => files.read(cid, 'missing'))).toBe(404);
  });
});
