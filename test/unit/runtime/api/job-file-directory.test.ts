import { mkdirSync, mkdtempSync, readlinkSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareJobFileDirectory } from '../../../../runtime/api/job-file-directory.ts';
import { weftPackageRoot } from '../../../../runtime/api/weft-module-resolution.ts';

const root = mkdtempSync(join(tmpdir(), 'weft-job-dir-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const weftLink = (dir: string): string => join(dir, 'node_modules', 'weft');

describe('prepareJobFileDirectory', () => {
  it("links node_modules/weft to this copy of weft, so a job file's import 'weft' finds the running API", () => {
    const dir = join(root, 'fresh');
    prepareJobFileDirectory(dir);
    prepareJobFileDirectory(dir);
    expect(realpathSync(weftLink(dir))).toBe(realpathSync(weftPackageRoot()));
  });

  it('replaces a link to another checkout of weft, or to one that no longer exists', () => {
    for (const [name, stale] of [
      ['other-copy', join(root, 'other-weft')],
      ['gone', join(root, 'deleted-weft')],
    ] as const) {
      const dir = join(root, name);
      mkdirSync(join(dir, 'node_modules'), { recursive: true });
      if (name === 'other-copy') mkdirSync(stale, { recursive: true });
      symlinkSync(stale, weftLink(dir), 'dir');
      prepareJobFileDirectory(dir);
      expect(resolve(readlinkSync(weftLink(dir))), name).toBe(resolve(weftPackageRoot()));
    }
  });
});
