import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ContainerExitStatus } from '../../../rm/protocol/records.ts';
import { WEFT_HOME } from '../../../nodemanager/launcher/container-launch.ts';
import { appId, attemptId, containerId, liveMembers, startNm, waitFor, type NmHarness } from './nm-fixture.ts';

let h: NmHarness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

const logFile = (harness: NmHarness, id: string, name: string): string => join(harness.dir, 'logs', appId(), id, name);

describe('NodeManager containers (real processes)', () => {
  it('runs a command with a valid token: stdout in its log file, exit 3 reported COMPLETE by heartbeat', async () => {
    h = await startNm();
    const id = containerId(2);
    const res = await h.start(id, ['echo hello; echo oops >&2; exit 3']);
    expect(res).toMatchObject({ succeededRequests: [id], failedRequests: [] });
    const status = await waitFor('COMPLETE status in a heartbeat', () => {
      const s = h!.rm.lastStatus(id);
      return s?.state === 'COMPLETE' ? s : undefined;
    });
    expect(status.exitStatus).toBe(3);
    expect(status.diagnostics).toContain('Container exited with a non-zero exit code 3');
    expect(status.diagnostics).toContain('oops');
    expect(readFileSync(logFile(h, id, 'stdout'), 'utf8')).toBe('hello\n');
    expect(existsSync(join(h.dir, 'usercache', 'alice', 'appcache', appId(), id))).toBe(true);
  });

  it('gives the container YARN environment, macros and credentials', async () => {
    h = await startNm();
    const id = containerId(3);
    const tokens = Buffer.from(JSON.stringify({ tokens: { YARN_AM_RM_TOKEN: 'abc' } })).toString('base64');
    await h.start(
      id,
      [
        'echo "$CONTAINER_ID|$NM_HOST|$NM_PORT|$NM_HTTP_PORT|$USER|$PWD|$LOG_DIRS|$WEFT_HOME|$FOO|$CONTAINER_ID_COPY" &&',
        'echo <LOG_DIR>/x a<CPS>b {{FOO}} && cat "$HADOOP_TOKEN_FILE_LOCATION" && test -x "$WEFT_NODE"',
      ],
      { launch: { environment: { FOO: 'bar', CONTAINER_ID: 'spoofed', CONTAINER_ID_COPY: 'x{{FOO}}' }, tokens } },
    );
    await waitFor('exit', () => h!.rm.lastStatus(id)?.state === 'COMPLETE');
    expect(h.rm.lastStatus(id)?.exitStatus).toBe(0);
    const [line1, line2, line3] = readFileSync(logFile(h, id, 'stdout'), 'utf8').split('\n');
    const port = String(h.nm.context.httpPort);
    const work = join(h.dir, 'usercache', 'alice', 'appcache', appId(), id);
    const logDir = join(h.dir, 'logs', appId(), id);
    expect(line1).toBe([id, '127.0.0.1', port, port, 'alice', work, logDir, WEFT_HOME, 'bar', 'xbar'].join('|'));
    expect(line2).toBe(`${logDir}/x a:b bar`);
    expect(JSON.parse(line3!)).toEqual({ tokens: { YARN_AM_RM_TOKEN: 'abc' } });
    expect(statSync(join(work, 'container_tokens')).mode & 0o777).toBe(0o600);
  });

  it('refuses forged, foreign-node, expired, missing and replayed tokens without spawning anything', async () => {
    h = await startNm();
    const nodeId = h.nm.nodeId;
    const bad = [
      { id: containerId(10), token: h.rm.containerToken({ containerId: containerId(10), nodeId }, Buffer.alloc(32, 1)), why: /signature/ },
      { id: containerId(11), token: h.rm.containerToken({ containerId: containerId(11), nodeId: 'elsewhere:1' }), why: /issued for node elsewhere:1/ },
      { id: containerId(12), token: h.rm.containerToken({ containerId: containerId(12), nodeId, expiryTimeStamp: Date.now() - 1 }), why: /expired/ },
      { id: '', token: 'not-a-token', why: /malformed/ },
    ];
    const res = await h.cm.startContainers({
      body: { startContainerRequest: bad.map((b) => ({ containerLaunchContext: { commands: ['touch /tmp/never'], localResources: {}, environment: {}, applicationACLs: {} }, containerToken: b.token })) },
    });
    expect(res.succeededRequests).toEqual([]);
    expect(res.failedRequests).toHaveLength(4);
    bad.forEach((b, i) => {
      expect(res.failedRequests[i]!.containerId).toBe(b.id);
      expect(res.failedRequests[i]!.exception.message).toMatch(b.why);
      expect(res.failedRequests[i]!.exception.className).toBe('org.apache.hadoop.security.token.SecretManager$InvalidToken');
    });
    expect(h.executor.launches).toBe(0);
    expect(h.nm.context.containers.size).toBe(0);

    const id = containerId(13);
    const token = h.rm.containerToken({ containerId: id, nodeId });
    const start = () =>
      h!.cm.startContainers({ body: { startContainerRequest: [{ containerLaunchContext: { commands: ['true'], localResources: {}, environment: {}, applicationACLs: {} }, containerToken: token }] } });
    expect((await start()).succeededRequests).toEqual([id]);
    const replay = await start();
    expect(replay.failedRequests[0]?.exception.message).toMatch(/already is running on this node/);
    expect(h.executor.launches).toBe(1);
  });

  it('stop by the AM kills the whole process group (child and grandchild) with -105', async () => {
    h = await startNm({ 'yarn.nodemanager.sleep-delay-before-sigkill.ms': '200' });
    const id = containerId(4);
    // The grandchild ignores SIGTERM, so only the SIGKILL escalation can end it.
    await h.start(id, [`sh -c 'trap "" TERM; sleep 60 & echo $! > grandchild.pid; wait' & echo $! > child.pid; wait`]);
    const work = join(h.dir, 'usercache', 'alice', 'appcache', appId(), id);
    const grandchild = await waitFor('grandchild pid', () => existsSync(join(work, 'grandchild.pid')) && Number(readFileSync(join(work, 'grandchild.pid'), 'utf8')));
    const pgid = h.nm.context.containers.get(id)!.pid!;
    expect(liveMembers(pgid).length).toBeGreaterThanOrEqual(3);
    expect(liveMembers(pgid)).toContain(grandchild);

    const stop = await h.cmAs(attemptId()).stopContainers({ body: { containerIds: [id] } });
    expect(stop).toEqual({ succeededRequests: [id], failedRequests: [] });
    const status = await waitFor('COMPLETE after stop', () => {
      const s = h!.rm.lastStatus(id);
      return s?.state === 'COMPLETE' ? s : undefined;
    });
    expect(status.exitStatus).toBe(ContainerExitStatus.KILLED_BY_APPMASTER);
    expect(status.diagnostics).toContain('Container killed by the ApplicationMaster.');
    expect(status.diagnostics).toContain('Container killed on request. Exit code is 143');
    await waitFor('group gone', () => liveMembers(pgid).length === 0);
  });

  it('refuses stop and status without an NMToken, or with one for another application', async () => {
    h = await startNm();
    const id = containerId(5);
    await h.start(id, ['sleep 30']);
    await expect(h.cm.stopContainers({ body: { containerIds: [id] } })).rejects.toThrow(/NMToken/);
    const other = await h.cmAs(attemptId(2)).stopContainers({ body: { containerIds: [id] } });
    expect(other.succeededRequests).toEqual([]);
    expect(other.failedRequests[0]?.exception.message).toMatch(/does not own it/);
    const statuses = await h.cmAs(attemptId()).getContainerStatuses({ body: { containerIds: [id] } });
    expect(statuses.containerStatuses[0]).toMatchObject({ containerId: id, state: 'RUNNING', exitStatus: -1000 });
  });

  it('kills a container that grows past its memory with -104 and YARN\'s diagnostic', async () => {
    h = await startNm({ 'yarn.nodemanager.container-monitor.interval-ms': '100' });
    const id = containerId(6);
    const grow = `"$WEFT_NODE" -e 'const a=[];setInterval(()=>{if(a.length<40)a.push(Buffer.alloc(8*1024*1024,1))},20)'`;
    await h.start(id, [grow], { memoryMb: 96 });
    const status = await waitFor('memory kill', () => {
      const s = h!.rm.lastStatus(id);
      return s?.state === 'COMPLETE' ? s : undefined;
    }, 20_000);
    expect(status.exitStatus).toBe(ContainerExitStatus.KILLED_EXCEEDED_PMEM);
    expect(status.diagnostics).toMatch(
      new RegExp(`^Container \\[pid=\\d+,containerID=${id}\\] is running \\d+B beyond the 'PHYSICAL' memory limit\\. Current usage: [\\d.]+ MB of 96 MB physical memory used; [\\d.]+ [KMGT]?B of 201\\.6 MB virtual memory used\\. Killing container\\.\\nDump of the process-tree for ${id} :\\n\\t\\|- PID PPID PGRPID`),
    );
    expect(status.diagnostics).toContain('Container killed on request. Exit code is');
  });

  it('fails localization of a missing file:// resource with a clear diagnostic and runs nothing', async () => {
    h = await startNm();
    const id = containerId(7);
    const res = await h.start(id, ['cat data.txt'], { launch: { localResources: { 'data.txt': { resource: 'file:///nonexistent/data.txt', type: 'FILE', visibility: 'APPLICATION', size: -1, timestamp: -1 } } } });
    expect(res.succeededRequests).toEqual([id]);
    const s = await waitFor('localization failure', () => h!.rm.lastStatus(id)?.state === 'COMPLETE' && h!.rm.lastStatus(id));
    expect(s.exitStatus).toBe(ContainerExitStatus.INVALID);
    expect(s.diagnostics).toMatch(/file:\/\/\/nonexistent\/data.txt .*does not exist/);
    expect(h.executor.launches).toBe(0);
    expect(h.nm.context.containers.get(id)?.state).toBe('DONE');
  });

  it('links file:// resources into the work dir under their key', async () => {
    h = await startNm();
    const id = containerId(8);
    const src = join(h.dir, 'input.txt');
    (await import('node:fs')).writeFileSync(src, 'payload\n');
    await h.start(id, ['cat data.txt'], { launch: { localResources: { 'data.txt': { resource: `file://${src}`, type: 'FILE', visibility: 'APPLICATION', size: -1, timestamp: -1 } } } });
    await waitFor('exit', () => h!.rm.lastStatus(id)?.state === 'COMPLETE');
    expect(h.rm.lastStatus(id)?.exitStatus).toBe(0);
    expect(readFileSync(logFile(h, id, 'stdout'), 'utf8')).toBe('payload\n');
  });
});
