import { describe, expect, it } from 'vitest';
import { parseTaskManagerArgs } from '../../../../runtime/taskexecutor/config.ts';

describe('parseTaskManagerArgs', () => {
  it('reads the container environment and the flags', () => {
    const config = parseTaskManagerArgs(['--jm', 'http://jm:8081/', '--slots', '3', '--memory', '2048', '--conf', 'heartbeat.interval=2 s'], {
      CONTAINER_ID: 'container_1_0001_01_000002',
      NM_HOST: 'node-7',
    });
    expect(config).toMatchObject({ jobManagerUrl: 'http://jm:8081', resourceId: 'container_1_0001_01_000002', host: 'node-7', numberOfSlots: 3, memoryMb: 2048, workDir: null });
    expect(config.flink['heartbeat.interval']).toBe(2000);
    expect(config.flink['heartbeat.timeout']).toBe(50_000);
  });

  it('takes --resource-id and --host outside a container; slots and memory default from the Flink keys', () => {
    const config = parseTaskManagerArgs(['--jm', 'http://127.0.0.1:1', '--resource-id', 'tm-x', '--conf', 'taskmanager.numberOfTaskSlots=4'], {});
    expect(config).toMatchObject({ resourceId: 'tm-x', host: 'localhost', numberOfSlots: 4, memoryMb: 1728 });
  });

  it('names what is wrong', () => {
    expect(() => parseTaskManagerArgs([], {})).toThrow(/missing required flag --jm/);
    expect(() => parseTaskManagerArgs(['--jm', 'ftp://x'], {})).toThrow(/--jm: 'ftp:\/\/x' is not an http URL/);
    expect(() => parseTaskManagerArgs(['--jm', 'http://x'], {})).toThrow(/pass --resource-id/);
    expect(() => parseTaskManagerArgs(['--jm', 'http://x', '--resource-id', 'r', '--memory', '0'], {})).toThrow(/--memory: expected a positive integer/);
    expect(() => parseTaskManagerArgs(['--jm', 'http://x', '--resource-id', 'r', '--conf', 'nokey'], {})).toThrow(/--conf: expected key=value/);
    expect(() => parseTaskManagerArgs(['--jm', 'http://x', '--bogus'], {})).toThrow(/bogus/);
  });
});
