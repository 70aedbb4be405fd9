import { describe, expect, it } from 'vitest';
import { describeLocalClusterConf, effectiveLocalClusterConf, localClusterConf, withLocalClusterConf } from '../../../../bin/cli/local-cluster-conf.ts';
import { createRmConfig } from '../../../../rm/config.ts';
import { buildQueueTree } from '../../../../rm/scheduler/capacity/capacity-queue.ts';

/** What the RM makes of `--conf key=value` arguments, as rm/main.ts reads them (the last value of a key wins). */
function rmConfigFrom(args: readonly string[]) {
  const properties = new Map<string, string>();
  for (let i = 0; i < args.length; i += 2) {
    const kv = args[i + 1]!;
    properties.set(kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1));
  }
  return createRmConfig({ properties });
}

describe('local cluster scheduler settings (weft cluster start)', () => {
  const local = localClusterConf({ memoryMb: 8192, vcores: 8 });

  it('give AMs half of the cluster and allocate in 32 MB steps up to one node', () => {
    const config = rmConfigFrom(withLocalClusterConf(local, []));
    expect(config.minimumAllocation).toEqual({ memory: 32, vCores: 1 });
    expect(config.maximumAllocation).toEqual({ memory: 8192, vCores: 8 });
    expect(buildQueueTree(config.schedulerConf).children[0]!.maxAmResourcePercent).toBe(0.5);
  });

  it("leave YARN's defaults to a standalone ResourceManager", () => {
    const config = createRmConfig();
    expect(config.minimumAllocation.memory).toBe(1024);
    expect(buildQueueTree(config.schedulerConf).children[0]!.maxAmResourcePercent).toBe(0.1);
  });

  it('yield to --conf, and the banner shows what is in effect', () => {
    const user = ['yarn.scheduler.capacity.maximum-am-resource-percent=0.2'];
    const config = rmConfigFrom(withLocalClusterConf(local, user.flatMap((kv) => ['--conf', kv])));
    expect(buildQueueTree(config.schedulerConf).children[0]!.maxAmResourcePercent).toBe(0.2);
    const effective = effectiveLocalClusterConf(local, user);
    expect(effective.get('yarn.scheduler.capacity.maximum-am-resource-percent')).toBe('0.2');
    expect(describeLocalClusterConf(effective)).toMatch(/^Scheduler: yarn\.scheduler\.minimum-allocation-mb=32, .*maximum-am-resource-percent=0\.2 \(local cluster defaults; change with --conf key=value\)$/);
  });
});
