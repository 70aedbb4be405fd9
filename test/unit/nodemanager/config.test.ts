import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../rm/common/config.ts';
import { parseNodeManagerArgs } from '../../../nodemanager/config.ts';

describe('NodeManager config', () => {
  it('has YARN defaults and is frozen', () => {
    const c = parseNodeManagerArgs(['--rm', 'http://localhost:8088']);
    expect(c).toMatchObject({ port: 8042, memoryMb: 8192, vcores: 8, hostname: 'localhost', host: '0.0.0.0' });
    expect(c.conf['yarn.nodemanager.sleep-delay-before-sigkill.ms']).toBe(250);
    expect(c.conf['yarn.nodemanager.pmem-check-enabled']).toBe(true);
    expect(c.conf['yarn.nodemanager.vmem-check-enabled']).toBe(false);
    expect(c.conf['yarn.nodemanager.container-monitor.interval-ms']).toBe(3000);
    expect(Object.isFrozen(c) && Object.isFrozen(c.conf)).toBe(true);
  });

  it('reads flags and repeated --conf key=value', () => {
    const c = parseNodeManagerArgs(['--rm', 'http://rm:1', '--port', '0', '--memory', '512', '--conf', 'yarn.nodemanager.pmem-check-enabled=false', '--conf', 'yarn.nodemanager.sleep-delay-before-sigkill.ms=10']);
    expect(c).toMatchObject({ port: 0, memoryMb: 512 });
    expect(c.conf['yarn.nodemanager.pmem-check-enabled']).toBe(false);
    expect(c.conf['yarn.nodemanager.sleep-delay-before-sigkill.ms']).toBe(10);
  });

  it.each([
    [[], /--rm/],
    [['--rm', 'nope'], /--rm/],
    [['--rm', 'http://rm:1', '--port', 'x'], /--port/],
    [['--rm', 'http://rm:1', '--bogus'], /bogus/],
    [['--rm', 'http://rm:1', '--conf', 'yarn.unknown=1'], /yarn.unknown/],
    [['--rm', 'http://rm:1', '--conf', 'novalue'], /key=value/],
    [['--rm', 'http://rm:1', '--conf', 'yarn.nodemanager.container-monitor.interval-ms=0'], /container-monitor.interval-ms/],
  ])('rejects %j with one clear line', (argv, message) => {
    let err: unknown;
    try {
      parseNodeManagerArgs(argv);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain('\n');
  });
});
