import { describe, expect, it } from 'vitest';
import { parseAppStates } from '../../../../bin/cli/app-list.ts';
import { describeCliError } from '../../../../bin/cli/cli-error.ts';
import { splitConf } from '../../../../bin/cli/cluster-start.ts';
import {
  formatApplicationList,
  formatCapacity,
  formatContainerHeader,
  formatLogFile,
  formatNodeList,
  formatProgress,
  formatQueueReport,
} from '../../../../bin/cli/format.ts';
import { allQueues, capacityQueueReport, findQueue } from '../../../../bin/cli/queue-status.ts';
import { WeftError } from '../../../../rm/common/errors.ts';
import { UnreachableError } from '../../../../rm/common/http-client.ts';
import type { AppInfo, NodeInfo } from '../../../../rm/protocol/client-rm.ts';

const app = (over: Partial<AppInfo>): AppInfo =>
  ({
    id: 'application_1700000000000_0001',
    name: 'DistributedShell',
    applicationType: 'YARN',
    user: 'alice',
    queue: 'default',
    state: 'RUNNING',
    finalStatus: 'UNDEFINED',
    progress: 0,
    trackingUrl: 'http://localhost:8088/proxy/application_1700000000000_0001/',
    ...over,
  }) as AppInfo;

describe('yarn CLI formats', () => {
  it('formats progress like DecimalFormat("###.##%")', () => {
    expect(formatProgress(0)).toBe('0%');
    expect(formatProgress(100)).toBe('100%');
    expect(formatProgress(10.5)).toBe('10.5%');
    expect(formatProgress(33.33333)).toBe('33.33%');
    expect(formatProgress(12.345)).toBe('12.34%');
  });

  it('formats capacities like DecimalFormat("#.00") + %', () => {
    expect(formatCapacity(100)).toBe('100.00%');
    expect(formatCapacity(0)).toBe('.00%');
    expect(formatCapacity(12.5)).toBe('12.50%');
  });

  it('prints the application list with the yarn header and %30s\\t%20s... columns', () => {
    const out = formatApplicationList([app({ progress: 50 })], ['SUBMITTED', 'ACCEPTED', 'RUNNING']);
    const lines = out.split('\n');
    expect(lines[0]).toBe('Total number of applications (application-types: [], states: [SUBMITTED, ACCEPTED, RUNNING] and tags: []):1');
    expect(lines[1]).toBe(
      [
        '                Application-Id',
        '    Application-Name',
        '    Application-Type',
        '      User',
        '     Queue',
        '             State',
        '       Final-State',
        '       Progress',
        '                       Tracking-URL',
      ].join('\t'),
    );
    expect(lines[2]).toBe(
      [
        'application_1700000000000_0001',
        '    DistributedShell',
        '                YARN',
        '     alice',
        '   default',
        '           RUNNING',
        '         UNDEFINED',
        '            50%',
        'http://localhost:8088/proxy/application_1700000000000_0001/',
      ].join('\t'),
    );
    expect(out.endsWith('\n')).toBe(true);
  });

  it('prints the node list as yarn node -list does', () => {
    const node = { id: 'localhost:45454', state: 'RUNNING', nodeHTTPAddress: 'localhost:45454', numContainers: 3 } as NodeInfo;
    expect(formatNodeList([node])).toBe(
      'Total Nodes:1\n         Node-Id\t     Node-State\tNode-Http-Address\tNumber-of-Running-Containers\n localhost:45454\t        RUNNING\t  localhost:45454\t                           3\n',
    );
  });

  it('prints a queue report as yarn queue -status does', () => {
    expect(formatQueueReport({ queueName: 'default', state: 'RUNNING', capacity: 100, usedCapacity: 0, maxCapacity: 100 })).toBe(
      'Queue Information : \nQueue Name : default\n\tState : RUNNING\n\tCapacity : 100.00%\n\tCurrent Capacity : .00%\n\tMaximum Capacity : 100.00%\n' +
        '\tDefault Node Label expression : <DEFAULT_PARTITION>\n\tAccessible Node Labels : *\n\tPreemption : disabled\n\tIntra-queue Preemption : disabled\n',
    );
  });

  it("adds a CapacityScheduler leaf's AM limit and AM usage to the queue report", () => {
    const leaf = {
      queueName: 'default',
      state: 'RUNNING',
      capacity: 100,
      usedCapacity: 12.5,
      maxCapacity: 100,
      configuredMaxAMResourceLimit: 0.5,
      AMResourceLimit: { memory: 8192, vCores: 8 },
      usedAMResource: { memory: 1600, vCores: 1 },
    };
    expect(formatQueueReport(capacityQueueReport(leaf))).toContain(
      '\tMaximum Capacity : 100.00%\n\tConfigured Max Application Master Limit : 50.00%\n' +
        '\tMax Application Master Resources : <memory:8192, vCores:8>\n\tUsed Application Master Resources : <memory:1600, vCores:1>\n\tDefault Node Label',
    );
  });

  it('lists every queue, parents before children', () => {
    const root = { queueName: 'root', queues: { queue: [{ queueName: 'a', queues: { queue: [{ queueName: 'a1' }] } }, { queueName: 'b' }] } };
    expect(allQueues(root).map((e) => e.path)).toEqual(['root', 'root.a', 'root.a.a1', 'root.b']);
  });

  it('heads log sections like yarn logs', () => {
    expect(formatContainerHeader('container_1_0001_01_000002', 'h:1', 'LOCAL')).toBe(
      `Container: container_1_0001_01_000002 on h:1\nLogAggregationType: LOCAL\n${'='.repeat(44)}\n`,
    );
    expect(formatContainerHeader('container_1_0001_01_000002', 'h:1', 'AGGREGATED')).toContain('\nLogAggregationType: AGGREGATED\n');
    expect(formatLogFile('stdout', 'hi\n')).toBe(`LogType:stdout\nLogLength:3\nLogContents:\nhi\nEnd of LogType:stdout\n${'*'.repeat(71)}\n\n`);
  });

  it('parses application states, ALL in enum order, and rejects unknown ones', () => {
    expect(parseAppStates(undefined)).toEqual(['SUBMITTED', 'ACCEPTED', 'RUNNING']);
    expect(parseAppStates('killed,finished')).toEqual(['FINISHED', 'KILLED']);
    expect(parseAppStates('ALL')).toHaveLength(8);
    expect(() => parseAppStates('DONE')).toThrow(/invalid application state 'DONE'/);
  });

  it('finds queues by leaf name or path', () => {
    const root = { queueName: 'root', queues: { queue: [{ queueName: 'a', queues: { queue: [{ queueName: 'a1' }] } }, { queueName: 'b' }] } };
    expect(findQueue(root, 'a1')?.queueName).toBe('a1');
    expect(findQueue(root, 'root.a.a1')?.queueName).toBe('a1');
    expect(findQueue(root, 'zz')).toBeUndefined();
  });

  it('routes --conf keys to the daemon that reads them', () => {
    expect(splitConf(['yarn.nodemanager.container-monitor.interval-ms=200', 'yarn.nm.liveness-monitor.expiry-interval-ms=2000'])).toEqual({
      nm: ['--conf', 'yarn.nodemanager.container-monitor.interval-ms=200'],
      rm: ['--conf', 'yarn.nm.liveness-monitor.expiry-interval-ms=2000'],
    });
    expect(() => splitConf(['novalue'])).toThrow(/key=value/);
  });

  it('turns errors into one line', () => {
    expect(describeCliError(new UnreachableError('GET http://localhost:8088/ws/v1/cluster/apps', 'ECONNREFUSED'), 'http://localhost:8088')).toBe(
      'cannot reach the ResourceManager at http://localhost:8088: connection refused — is the cluster running? start one with `weft cluster start`',
    );
    expect(describeCliError(new UnreachableError('GET http://h:1/x', 'ECONNREFUSED'), 'http://localhost:8088')).toBe('cannot reach http://h:1: connection refused');
    expect(describeCliError(new WeftError('NotFound', 'java.lang.Exception: app with id: application_1_0001 not found'), 'x')).toBe('app with id: application_1_0001 not found');
  });
});
