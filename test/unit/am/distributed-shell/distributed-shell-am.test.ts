import { describe, expect, it } from 'vitest';
import { DistributedShellApplicationMaster, type DistributedShellOptions } from '../../../../am/distributed-shell/application-master.ts';
import { parseDistributedShellArgs } from '../../../../am/distributed-shell/am-arguments.ts';
import { buildSubmissionContext, distributedShellAmCommand } from '../../../../am/distributed-shell/client.ts';
import { decodeShellCommand, encodeShellCommand } from '../../../../am/distributed-shell/shell-command.ts';
import { NMClient } from '../../../../am/nm-client.ts';
import { NmTokenCache } from '../../../../am/nm-token-cache.ts';
import { ManualClock } from '../../../../rm/common/clock.ts';
import { WeftError } from '../../../../rm/common/errors.ts';
import { createMemoryLogger } from '../../../../rm/common/logger.ts';
import type { Container, ContainerStatus } from '../../../../rm/protocol/records.ts';
import { FakeAmRmGateway, container } from '../../../doubles/fake-amrm-gateway.ts';
import { fakeNmContainerClients } from '../../../doubles/fake-nm-container-clients.ts';

const SIZE = { memory: 128, vCores: 1 } as const;


function setup(options: Partial<DistributedShellOptions> = {}, refuse?: Set<string>) {
  const gateway = new FakeAmRmGateway();
  const clock = new ManualClock();
  const nmTokens = new NmTokenCache();
  const nms = fakeNmContainerClients(refuse);
  const am = new DistributedShellApplicationMaster(
    { numContainers: 3, capability: SIZE, priority: 0, shellCommand: 'echo hi', shellEnv: {}, maxContainerRetries: 0, heartbeatIntervalMs: 250, ...options },
    { amRmGateway: gateway, nmClient: new NMClient(nmTokens, nms.factory), nmTokens, clock, logger: createMemoryLogger().logger, host: 'am-host' },
  );
  return { gateway, clock, am, nms };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function heartbeat(clock: ManualClock): Promise<void> {
  clock.advance(250);
  for (let i = 0; i < 5; i++) await tick();
}

const done = (c: Container, exitStatus: number, diagnostics = ''): ContainerStatus => ({ containerId: c.id, state: 'COMPLETE', exitStatus, diagnostics });

describe('DistributedShell ApplicationMaster', () => {
  it('runs the command in N containers and finishes SUCCEEDED when all exit 0', async () => {
    const { gateway, clock, am, nms } = setup();
    const result = am.run();
    await tick();
    expect(gateway.lastProcessed().ask).toEqual([expect.objectContaining({ numContainers: 3, capability: SIZE })]);
    const cs = [container(SIZE), container(SIZE), container(SIZE)];
    gateway.allocateNext(cs);
    await heartbeat(clock);
    expect(nms.started.map((s) => s.containerId)).toEqual(cs.map((c) => c.id));
    expect(nms.started[0]!.context.environment.WEFT_DSHELL_COMMAND).toBe('echo hi');
    expect(nms.started[0]!.context.commands[0]).toContain('1><LOG_DIR>/stdout 2><LOG_DIR>/stderr');
    gateway.completeNext(cs.map((c) => done(c, 0)));
    await heartbeat(clock);
    const r = await result;
    expect(r.finalStatus).toBe('SUCCEEDED');
    expect(gateway.finishes).toEqual([expect.objectContaining({ finalApplicationStatus: 'SUCCEEDED' })]);
  });

  it('fails with diagnostics naming the failed containers and exit codes', async () => {
    const { gateway, clock, am } = setup();
    const result = am.run();
    await tick();
    const cs = [container(SIZE), container(SIZE), container(SIZE)];
    gateway.allocateNext(cs);
    await heartbeat(clock);
    gateway.completeNext([done(cs[0]!, 0), done(cs[1]!, 3), done(cs[2]!, 0)]);
    await heartbeat(clock);
    const r = await result;
    expect(r.finalStatus).toBe('FAILED');
    expect(r.diagnostics).toBe(`1 of 3 containers failed; ${cs[1]!.id} exited with code 3`);
    expect(gateway.finishes[0]).toMatchObject({ finalApplicationStatus: 'FAILED', diagnostics: r.diagnostics });
  });

  it('replaces a failed container while the retry budget lasts', async () => {
    const { gateway, clock, am } = setup({ numContainers: 1, maxContainerRetries: 1 });
    const result = am.run();
    await tick();
    const first = container(SIZE);
    gateway.allocateNext([first]);
    await heartbeat(clock);
    gateway.completeNext([done(first, 1)]);
    await heartbeat(clock);
    await heartbeat(clock);
    expect(gateway.lastProcessed().ask).toEqual([expect.objectContaining({ numContainers: 1 })]);
    const second = container(SIZE);
    gateway.allocateNext([second]);
    await heartbeat(clock);
    gateway.completeNext([done(second, 0)]);
    await heartbeat(clock);
    expect((await result).finalStatus).toBe('SUCCEEDED');
  });

  it('replaces an aborted container (-100) without counting it as a failure', async () => {
    const { gateway, clock, am } = setup({ numContainers: 1 });
    const result = am.run();
    await tick();
    const first = container(SIZE);
    gateway.allocateNext([first]);
    await heartbeat(clock);
    gateway.completeNext([done(first, -100, 'Container released on a *lost* node')]);
    await heartbeat(clock);
    const second = container(SIZE);
    gateway.allocateNext([second]);
    await heartbeat(clock);
    gateway.completeNext([done(second, 0)]);
    await heartbeat(clock);
    expect((await result).finalStatus).toBe('SUCCEEDED');
  });

  it('counts a container the NM refuses to start as failed and releases it', async () => {
    const c = container(SIZE);
    const { gateway, clock, am } = setup({ numContainers: 1 }, new Set([c.id]));
    const result = am.run();
    await tick();
    gateway.allocateNext([c]);
    await heartbeat(clock);
    await heartbeat(clock);
    const r = await result;
    expect(r.finalStatus).toBe('FAILED');
    expect(r.diagnostics).toMatch(/exited with code -1000 \(failed to start: token expired\)/);
  });

  it('releases containers it does not need', async () => {
    const { gateway, clock, am } = setup({ numContainers: 1 });
    const result = am.run();
    await tick();
    const [a, b] = [container(SIZE), container(SIZE)];
    gateway.allocateNext([a, b]);
    await heartbeat(clock);
    await heartbeat(clock);
    expect(gateway.lastProcessed().release).toEqual([b.id]);
    gateway.completeNext([done(a, 0)]);
    await heartbeat(clock);
    expect((await result).finalStatus).toBe('SUCCEEDED');
  });
});

describe('DistributedShell ApplicationMaster when the RM refuses it', () => {
  it('rejects with the RM error and stops its running containers', async () => {
    const { gateway, clock, am, nms } = setup({ numContainers: 1 });
    const result = am.run();
    await tick();
    const c = container(SIZE);
    gateway.allocateNext([c]);
    await heartbeat(clock);
    gateway.allocate = () => Promise.reject(new WeftError('InvalidToken', 'AMRM token expired'));
    const failed = expect(result).rejects.toThrow('AMRM token expired');
    await heartbeat(clock);
    await failed;
    expect(nms.stopped).toEqual([c.id]);
    expect(gateway.finishes).toEqual([]);
  });
});

describe('DistributedShell command lines', () => {
  it('round-trips the shell command through base64 on the AM command line', () => {
    const command = `echo "it's $HOME" | tr a-z A-Z; exit 3`;
    const request = {
      shellCommand: command,
      numContainers: 2,
      containerMemory: 128,
      containerVcores: 1,
      masterMemory: 256,
      masterVcores: 1,
      appName: 'ds',
      priority: 0,
      maxContainerRetries: 1,
      maxAppAttempts: 1,
      shellEnv: { A: 'b c' },
      tags: [],
    };
    const line = distributedShellAmCommand(request);
    expect(line).toMatch(/^\{\{WEFT_HOME\}\}\/bin\/weft-run \{\{WEFT_HOME\}\}\/am\/distributed-shell\/main\.ts /);
    expect(line).toMatch(/ 1><LOG_DIR>\/AppMaster\.stdout 2><LOG_DIR>\/AppMaster\.stderr$/);
    const args = line.split(' ').slice(2, -2);
    const parsed = parseDistributedShellArgs(args);
    expect(parsed).toMatchObject({ numContainers: 2, capability: { memory: 128, vCores: 1 }, maxContainerRetries: 1, shellCommand: command, shellEnv: { A: 'b c' } });
    expect(buildSubmissionContext('application_1_0001', request)['am-container-spec'].commands?.command).toBe(line);
    expect(decodeShellCommand(encodeShellCommand('ünïcode'))).toBe('ünïcode');
  });
});
