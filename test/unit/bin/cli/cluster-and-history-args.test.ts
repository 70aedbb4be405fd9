import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeClusterFlinkConf } from '../../../../bin/cli/cluster-flink-conf.ts';
import { localClusterLogConf, splitConf } from '../../../../bin/cli/cluster-start.ts';
import { flinkProperties } from '../../../../bin/cli/flink-options.ts';
import { historyServerArgs } from '../../../../bin/cli/history-start.ts';
import { yarnLogsArgv } from '../../../../bin/cli/logs.ts';
import { parseFlinkConfYaml } from '../../../../runtime/config/flink-conf-file.ts';

describe('weft logs with yarn logs spellings', () => {
  it('maps -applicationId, -containerId and -log_files after the logs command only', () => {
    expect(yarnLogsArgv(['--rm', 'http://h:1', 'logs', '-applicationId', 'application_1_0001', '-containerId', 'container_1_0001_01_000002', '-log_files', 'stdout,taskmanager.log'])).toEqual([
      '--rm',
      'http://h:1',
      'logs',
      'application_1_0001',
      '--container',
      'container_1_0001_01_000002',
      '--log-files',
      'stdout,taskmanager.log',
    ]);
    expect(yarnLogsArgv(['app', 'list', '-containerId'])).toEqual(['app', 'list', '-containerId']);
  });
});

describe('weft cluster start configuration', () => {
  it('turns log aggregation on into <dir>/app-logs, before the user conf, and passes FLINK_CONF_DIR to containers', () => {
    const conf = localClusterLogConf('/c', ['yarn.log-aggregation-enable=false', 'yarn.nodemanager.env-whitelist=PATH,LANG']);
    expect(conf).toEqual(['yarn.log-aggregation-enable=true', 'yarn.nodemanager.remote-app-log-dir=/c/app-logs', 'yarn.log-aggregation-enable=false', 'yarn.nodemanager.env-whitelist=PATH,LANG,FLINK_CONF_DIR']);
    expect(localClusterLogConf('/c', []).at(-1)).toMatch(/^yarn\.nodemanager\.env-whitelist=JAVA_HOME,.*,TMPDIR,FLINK_CONF_DIR$/);
  });

  it('gives the log aggregation keys to both the RM and the NMs, NM keys to the NMs, the rest to the RM', () => {
    const { rm, nm } = splitConf(['yarn.log-aggregation-enable=true', 'yarn.nodemanager.remote-app-log-dir=/x', 'yarn.log-aggregation.retain-seconds=60', 'yarn.nodemanager.log.retain-seconds=5']);
    expect(rm).toEqual(['--conf', 'yarn.log-aggregation-enable=true', '--conf', 'yarn.nodemanager.remote-app-log-dir=/x', '--conf', 'yarn.log-aggregation.retain-seconds=60']);
    expect(nm).toEqual(['--conf', 'yarn.log-aggregation-enable=true', '--conf', 'yarn.nodemanager.remote-app-log-dir=/x', '--conf', 'yarn.nodemanager.log.retain-seconds=5']);
  });

  it("writes the cluster's flink-conf.yaml, keeping keys a user added", () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-cluster-conf-'));
    try {
      writeFileSync(join(dir, 'flink-conf.yaml'), 'historyserver.web.port: 1\nhistoryserver.archive.fs.refresh-interval: 500\n');
      const path = writeClusterFlinkConf(dir, { archiveDir: '/c/completed-jobs', historyHost: 'localhost', historyPort: 8082 });
      expect(parseFlinkConfYaml(readFileSync(path, 'utf8'))).toEqual([
        ['jobmanager.archive.fs.dir', '/c/completed-jobs'],
        ['historyserver.archive.fs.dir', '/c/completed-jobs'],
        ['historyserver.web.address', 'localhost'],
        ['historyserver.web.port', '8082'],
        ['historyserver.archive.fs.refresh-interval', '500'],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('weft history start', () => {
  it('passes -D pairs and its flags as Flink keys, flags last', () => {
    expect(historyServerArgs({ D: ['historyserver.web.port=1'], port: '0', archiveDir: '/a,/b', address: 'h' })).toEqual([
      '--conf',
      'historyserver.web.port=1',
      '--conf',
      'historyserver.web.port=0',
      '--conf',
      'historyserver.web.address=h',
      '--conf',
      'historyserver.archive.fs.dir=/a,/b',
    ]);
    expect(() => historyServerArgs({ D: [], port: 'x' })).toThrow(/--port/);
    expect(() => historyServerArgs({ D: ['nope'] })).toThrow(/key=value/);
  });
});

describe("the Flink client's properties", () => {
  it("start from $FLINK_CONF_DIR's file, with -D and the flags over it", () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-client-conf-'));
    try {
      writeFileSync(join(dir, 'flink-conf.yaml'), 'jobmanager.archive.fs.dir: /archive\ntaskmanager.numberOfTaskSlots: 4\nparallelism.default: 3\n');
      const props = flinkProperties({ D: ['parallelism.default=2'], slots: '1' }, { FLINK_CONF_DIR: dir });
      expect(new Map(props)).toEqual(
        new Map([
          ['jobmanager.archive.fs.dir', '/archive'],
          ['parallelism.default', '2'],
          ['taskmanager.numberOfTaskSlots', '1'],
        ]),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
