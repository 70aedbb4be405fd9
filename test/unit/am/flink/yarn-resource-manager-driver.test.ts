import { describe, expect, it } from 'vitest';
import { NMClient } from '../../../../am/nm-client.ts';
import { NmTokenCache } from '../../../../am/nm-token-cache.ts';
import { ManualClock } from '../../../../rm/common/clock.ts';
import { createMemoryLogger } from '../../../../rm/common/logger.ts';
import type { ContainerStatus } from '../../../../rm/protocol/records.ts';
import { createFlinkConfiguration } from '../../../../runtime/config/flink-configuration.ts';
import type { WorkerNode } from '../../../../runtime/resourcemanager/resource-manager-driver.ts';
import { taskManagerLaunchContext } from '../../../../am/flink/task-manager-launch-context.ts';
import { workerSpecFromConfig, type WorkerResourceSpec } from '../../../../runtime/resourcemanager/worker-resource-spec.ts';
import { YarnResourceManagerDriver } from '../../../../am/flink/yarn-resource-manager-driver.ts';
import { FakeAmRmGateway, askKey, container } from '../../../doubles/fake-amrm-gateway.ts';
import { fakeNmContainerClients } from '../../../doubles/fake-nm-container-clients.ts';

const tick = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};


async function setup(refuse?: Set<string>, extraConf: Record<string, string> = {}, applicationDiagnostics?: () => Promise<string>) {
  const gateway = new FakeAmRmGateway();
  const clock = new ManualClock();
  const nmTokens = new NmTokenCache();
  const nms = fakeNmContainerClients(refuse);
  const config = createFlinkConfiguration({ 'taskmanager.numberOfTaskSlots': '2', 'taskmanager.memory.process.size': '512m', 'heartbeat.interval': '500 ms', ...extraConf });
  const terminated: [string, string][] = [];
  const errors: Error[] = [];
  const driver = new YarnResourceManagerDriver({
    amRmGateway: gateway,
    nmClient: new NMClient(nmTokens, nms.factory),
    nmTokens,
    clock,
    logger: createMemoryLogger().logger,
    config,
    registration: { host: 'am-host', trackingUrl: 'http://am-host:8081/' },
    launchContext: (_c, spec) => taskManagerLaunchContext('http://am-host:8081', spec, config),
    ...(applicationDiagnostics ? { applicationDiagnostics } : {}),
  });
  await driver.initialize({ onWorkerTerminated: (id, cause) => terminated.push([id, cause]), onError: (e) => errors.push(e) });
  return { gateway, clock, nms, driver, config, terminated, errors, spec: workerSpecFromConfig(config) };
}

const collect = (p: Promise<WorkerNode>, into: WorkerNode[]): void => void p.then((n) => into.push(n));

describe('YarnResourceManagerDriver', () => {
  it('registers with the tracking URL and asks for memory x vcores (= slots) containers', async () => {
    const { gateway, clock, driver, spec } = await setup();
    expect(gateway.registrations).toEqual([{ host: 'am-host', rpcPort: -1, trackingUrl: 'http://am-host:8081/' }]);
    expect(spec).toEqual({ memoryMb: 512, cpuCores: 2, numberOfSlots: 2 });
    void driver.requestResource(spec);
    void driver.requestResource(spec);
    expect(driver.heartbeatIntervalMs).toBe(500);
    clock.advance(500);
    await tick();
    expect(gateway.rmAsks.get(askKey(1, '*', { memory: 512, vCores: 2 }))).toBe(2);
  });

  it('uses one priority per distinct TaskManager spec', async () => {
    const { gateway, clock, driver, spec } = await setup();
    const big: WorkerResourceSpec = { memoryMb: 1024, cpuCores: 4, numberOfSlots: 4 };
    void driver.requestResource(spec);
    void driver.requestResource(big);
    void driver.requestResource(spec);
    clock.advance(500);
    await tick();
    expect(gateway.rmAsks.get(askKey(1, '*', { memory: 512, vCores: 2 }))).toBe(2);
    expect(gateway.rmAsks.get(askKey(2, '*', { memory: 1024, vCores: 4 }))).toBe(1);
  });

  it('starts a TaskManager in each allocated container, lowers the asks, and returns excess containers', async () => {
    const { gateway, clock, driver, spec, nms } = await setup();
    const nodes: WorkerNode[] = [];
    collect(driver.requestResource(spec), nodes);
    collect(driver.requestResource(spec), nodes);
    clock.advance(500);
    await tick();
    const res = { memory: 512, vCores: 2 };
    const [c1, c2, c3] = [container(res, 1), container(res, 1), container(res, 1)];
    gateway.allocateNext([c1, c2, c3]);
    clock.advance(500);
    await tick();
    expect(nodes.map((n) => n.resourceId)).toEqual([c1.id, c2.id]);
    expect(nms.started.map((s) => s.containerId)).toEqual([c1.id, c2.id]);
    const command = nms.started[0]!.context.commands[0]!;
    expect(command).toMatch(/^\{\{WEFT_HOME\}\}\/bin\/weft-run \{\{WEFT_HOME\}\}\/runtime\/taskexecutor\/main\.ts --jm http:\/\/am-host:8081 --slots 2 --memory 512 /);
    expect(command).toContain("--conf 'heartbeat.interval=500 ms'");
    // Flink's split: the logger writes taskmanager.log, stdout (print sinks) is taskmanager.out.
    expect(command).toMatch(/--conf 'taskmanager\.log\.path=<LOG_DIR>\/taskmanager\.log' 1><LOG_DIR>\/taskmanager\.out 2><LOG_DIR>\/taskmanager\.err$/);
    // Nothing pending any more: back to yarn.heartbeat.interval; the asks went to 0 and the excess container goes back.
    expect(driver.heartbeatIntervalMs).toBe(5000);
    clock.advance(5000);
    await tick();
    expect(gateway.lastProcessed().release).toEqual([c3.id]);
    expect(gateway.rmAsks.get(askKey(1, '*', res))).toBe(0);
    expect(driver.heartbeatIntervalMs).toBe(5000);
  });

  it('reports completed containers with Flink cause texts by exit status', async () => {
    const { gateway, clock, driver, spec, terminated } = await setup();
    void driver.requestResource(spec);
    void driver.requestResource(spec);
    clock.advance(500);
    await tick();
    const res = { memory: 512, vCores: 2 };
    const [c1, c2] = [container(res, 1), container(res, 1)];
    gateway.allocateNext([c1, c2]);
    clock.advance(500);
    await tick();
    const done = (id: string, exitStatus: number): ContainerStatus => ({ containerId: id, state: 'COMPLETE', exitStatus, diagnostics: '' });
    gateway.completeNext([done(c1.id, -100), done(c2.id, 137)]);
    clock.advance(5000);
    await tick();
    expect(terminated[0]).toEqual([c1.id, expect.stringContaining("killed by YARN, either due to being released by the application or being 'lost'")]);
    expect(terminated[1]).toEqual([c2.id, expect.stringContaining('marked as failed.\n Exit code:137')]);
  });

  it('releases a container that failed to start and reports the worker terminated', async () => {
    const res = { memory: 512, vCores: 2 };
    const c1 = container(res, 1);
    const { gateway, clock, driver, spec, terminated } = await setup(new Set([c1.id]));
    void driver.requestResource(spec);
    clock.advance(500);
    await tick();
    gateway.allocateNext([c1]);
    clock.advance(500);
    await tick();
    expect(terminated).toEqual([[c1.id, expect.stringContaining('failed to start: token expired')]]);
    clock.advance(5000);
    await tick();
    expect(gateway.lastProcessed().release).toEqual([c1.id]);
  });

  it('withdraws a request without a container: the ask is lowered at the RM', async () => {
    const { gateway, clock, driver, spec } = await setup();
    const abort = new AbortController();
    void driver.requestResource(spec);
    const withdrawn = driver.requestResource(spec, abort.signal);
    clock.advance(500);
    await tick();
    expect(gateway.rmAsks.get(askKey(1, '*', { memory: 512, vCores: 2 }))).toBe(2);
    abort.abort();
    await expect(withdrawn).rejects.toThrow(/withdrawn/);
    clock.advance(500);
    await tick();
    expect(gateway.rmAsks.get(askKey(1, '*', { memory: 512, vCores: 2 }))).toBe(1);
    expect(driver.outstanding(spec)).toBe(1);
  });

  it('rejects a worker larger than the maximum container capability', async () => {
    const { driver } = await setup();
    await expect(driver.requestResource({ memoryMb: 100_000, cpuCores: 1, numberOfSlots: 1 })).rejects.toThrow(/larger than Yarn's max container resource limit/);
  });

  it('releaseResource stops the container at its NM and releases it; deregister finishes the AM', async () => {
    const { gateway, clock, driver, spec, nms } = await setup();
    void driver.requestResource(spec);
    clock.advance(500);
    await tick();
    const c1 = container({ memory: 512, vCores: 2 }, 1);
    gateway.allocateNext([c1]);
    clock.advance(500);
    await tick();
    driver.releaseResource(c1.id);
    await driver.terminate();
    expect(nms.stopped).toEqual([c1.id]);
    expect(gateway.lastProcessed().release).toEqual([c1.id]);
    await driver.deregisterApplication('SUCCEEDED', 'done');
    expect(gateway.finishes).toEqual([{ finalApplicationStatus: 'SUCCEEDED', diagnostics: 'done', trackingUrl: '' }]);
  });

  it('deregisters with the history server as final tracking URL when historyserver.web.address is set, as Flink does', async () => {
    const { gateway, driver } = await setup(undefined, { 'historyserver.web.address': 'hs.example', 'historyserver.web.port': '18082' });
    await driver.deregisterApplication('FAILED', 'boom');
    expect(gateway.finishes).toEqual([{ finalApplicationStatus: 'FAILED', diagnostics: 'boom', trackingUrl: 'http://hs.example:18082' }]);
  });

  it('turns a YARN shutdown request into a fatal error', async () => {
    const { gateway, clock, errors } = await setup();
    gateway.commandNext('AM_SHUTDOWN');
    clock.advance(5000);
    await tick();
    expect(errors.map((e) => e.message)).toEqual(['Received shutdown request from YARN ResourceManager.']);
  });

  it("reads the RM's diagnostics of the application while requests are pending, at most once a second", async () => {
    let reads = 0;
    let text = 'Queue root is at its maximum capacity';
    const { gateway, clock, driver, spec } = await setup(undefined, {}, async () => {
      reads++;
      return text;
    });
    expect(driver.pendingRequestsDiagnostics()).toBeUndefined();
    void driver.requestResource(spec);
    clock.advance(0);
    await tick();
    expect(reads).toBe(1);
    expect(driver.pendingRequestsDiagnostics()).toBe('Queue root is at its maximum capacity');
    text = 'Waiting for resources: no node has <memory:512, vCores:2> free';
    clock.advance(500);
    await tick();
    expect(reads).toBe(1);
    clock.advance(500);
    await tick();
    expect(reads).toBe(2);
    expect(driver.pendingRequestsDiagnostics()).toBe(text);
    gateway.allocateNext([container({ memory: 512, vCores: 2 }, 1)]);
    clock.advance(500);
    await tick();
    expect(driver.pendingRequestsDiagnostics()).toBeUndefined();
    clock.advance(5000);
    await tick();
    expect(reads).toBe(2);
  });
});
