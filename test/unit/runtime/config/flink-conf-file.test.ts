import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flinkConfFromEnv, loadFlinkConfDir, parseFlinkConfYaml } from '../../../../runtime/config/flink-conf-file.ts';
import { historyServerUrl } from '../../../../runtime/history/history-server-url.ts';
import { createFlinkConfiguration } from '../../../../runtime/config/flink-configuration.ts';

describe("Flink's configuration file", () => {
  it('reads the legacy flink-conf.yaml: key: value lines, comments and blank lines skipped', () => {
    const text = '# a comment\njobmanager.archive.fs.dir: /tmp/completed-jobs\n\nhistoryserver.web.port: 8082   # inline comment\nnot a pair\nweb.log.path: "/var/log/jm.log"\n';
    expect(parseFlinkConfYaml(text)).toEqual([
      ['jobmanager.archive.fs.dir', '/tmp/completed-jobs'],
      ['historyserver.web.port', '8082'],
      ['web.log.path', '/var/log/jm.log'],
    ]);
  });

  it('flattens config.yaml maps into dotted keys, keeps # inside quotes', () => {
    const text = 'jobmanager:\n  archive:\n    fs:\n      dir: file:///tmp/a\n  memory.process.size: 1600m\nhistoryserver:\n  web:\n    port: 18082\n    address: \'h#1\'\n';
    expect(parseFlinkConfYaml(text)).toEqual([
      ['jobmanager.archive.fs.dir', 'file:///tmp/a'],
      ['jobmanager.memory.process.size', '1600m'],
      ['historyserver.web.port', '18082'],
      ['historyserver.web.address', 'h#1'],
    ]);
  });

  it('is found through FLINK_CONF_DIR, config.yaml before flink-conf.yaml; nothing without it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-flink-conf-'));
    try {
      writeFileSync(join(dir, 'flink-conf.yaml'), 'a.b: legacy\n');
      expect(loadFlinkConfDir(dir)).toEqual([['a.b', 'legacy']]);
      writeFileSync(join(dir, 'config.yaml'), 'a:\n  b: new\n');
      expect(flinkConfFromEnv({ FLINK_CONF_DIR: dir })).toEqual([['a.b', 'new']]);
      expect(flinkConfFromEnv({})).toEqual([]);
      expect(loadFlinkConfDir(join(dir, 'missing'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the history server URL a finished Flink app hands YARN', () => {
  it('is http://historyserver.web.address:historyserver.web.port, or none without an address', () => {
    expect(historyServerUrl(createFlinkConfiguration({ 'historyserver.web.address': 'localhost' }))).toBe('http://localhost:8082');
    expect(historyServerUrl(createFlinkConfiguration({ 'historyserver.web.address': '::1', 'historyserver.web.port': '9000' }))).toBe('http://[::1]:9000');
    expect(historyServerUrl(createFlinkConfiguration({ 'historyserver.web.port': '9000' }))).toBeUndefined();
  });
});
