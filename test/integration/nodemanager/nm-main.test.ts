import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { httpContainerManagementProtocol } from '../../../rm/protocol/nm-container.ts';
import { WEFT_HOME } from '../../../nodemanager/launcher/container-launch.ts';
import { FakeResourceTracker } from '../../doubles/fake-resource-tracker.ts';
import { LinuxProcReader } from '../../../nodemanager/monitor/proc-reader.ts';
import { containerId, waitFor } from './nm-fixture.ts';

const proc = new LinuxProcReader();
const isLive = (pid: number): boolean => {
  const state = proc.stat(pid)?.state;
  return state !== undefined && state !== 'Z' && state !== 'X';
};
/** Live pids whose environment carries CONTAINER_ID=<id>. */
function processesOf(id: string): number[] {
  return proc.pids().filter((pid) => {
    try {
      return isLive(pid) && readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`CONTAINER_ID=${id}`);
    } catch {
      return false;
    }
  });
}

const TSX = join(WEFT_HOME, 'node_modules/tsx/dist/esm/index.mjs');
const MAIN = join(WEFT_HOME, 'nodemanager/main.ts');

let child: ChildProcess | undefined;
let rm: FakeResourceTracker | undefined;
let dir: string | undefined;
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  // If a test failed before the NM could stop its container, do it here.
  for (const pid of processesOf(containerId(2))) process.kill(pid, 'SIGKILL');
  await rm?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  child = rm = dir = undefined;
});

function run(args: string[]): { proc: ChildProcess; exited: Promise<number | null>; ready: Promise<Record<string, unknown>>; stderr: () => string } {
  const proc = spawn(process.execPath, ['--import', `file://${TSX}`, MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
    const lines = createInterface({ input: proc.stdout });
    lines.on('line', (line) => {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      if (parsed.ready === true) resolve(parsed);
    });
    // Race the readiness line against an early exit, as nats' test launcher does.
    void exited.then((code) => reject(new Error(`nodemanager exited with ${code} before ready: ${err}`)));
  });
  ready.catch(() => {});
  return { proc, exited, ready, stderr: () => err };
}

describe('nodemanager/main.ts as a process', () => {
  it('prints a ready line, and on SIGTERM stops its containers, unregisters and exits 0', async () => {
    rm = new FakeResourceTracker();
    const rmUrl = await rm.start();
    dir = mkdtempSync(join(tmpdir(), 'weft-nm-main-'));
    const nm = run(['--rm', rmUrl, '--port', '0', '--dir', dir, '--hostname', '127.0.0.1', '--host', '127.0.0.1', '--conf', 'yarn.nodemanager.sleep-delay-before-sigkill.ms=100']);
    child = nm.proc;
    const ready = await nm.ready;
    expect(ready.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(ready.nodeId).toBe(String(ready.url).slice('http://'.length));
    const nodeId = String(ready.nodeId);

    const id = containerId(2);
    const cm = httpContainerManagementProtocol(nodeId);
    const res = await cm.startContainers({
      body: {
        startContainerRequest: [
          { containerLaunchContext: { commands: ['sleep 60 & sleep 60; wait'], environment: {}, localResources: {}, applicationACLs: {} }, containerToken: rm.containerToken({ containerId: id, nodeId }) },
        ],
      },
    });
    expect(res.succeededRequests).toEqual([id]);
    // The container's processes, found by the CONTAINER_ID the NM put into their environment.
    const members = await waitFor('shell and two sleeps running', () => {
      const found = processesOf(id);
      return found.length >= 3 ? found : undefined;
    });

    nm.proc.kill('SIGTERM');
    expect(await nm.exited).toBe(0);
    expect(rm.unregistrations).toEqual([nodeId]);
    // The NM leaves nothing behind: every process of the container is gone (or a reaped-by-nobody zombie).
    expect(members.filter((pid) => isLive(pid))).toEqual([]);
  });

  it('exits 1 with one clear line on a bad flag', async () => {
    const nm = run(['--rm', 'http://127.0.0.1:1', '--port', 'eighty']);
    child = nm.proc;
    expect(await nm.exited).toBe(1);
    expect(nm.stderr().trim().split('\n')).toEqual([expect.stringMatching(/^nodemanager: invalid nodemanager config '--port'/) as string]);
  });
});
