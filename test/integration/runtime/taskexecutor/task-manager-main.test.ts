import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { newFlinkId, type TaskManagerLocation } from '../../../../runtime/protocol/records.ts';
import { httpTaskExecutorGateways } from '../../../../runtime/protocol/task-executor-gateway.ts';
import { FakeJobManager } from './fake-job-manager.ts';
import { compiledJobFile, deployJob } from './job-deployment.ts';

const WEFT_HOME = fileURLToPath(new URL('../../../../', import.meta.url));
const TSX = `${WEFT_HOME}node_modules/tsx/dist/esm/index.mjs`;
const MAIN = `${WEFT_HOME}runtime/taskexecutor/main.ts`;
const JOB_FILE = fileURLToPath(new URL('./fixtures/keyed-sum-job.ts', import.meta.url));

interface TmProcess {
  readonly proc: ChildProcess;
  readonly exited: Promise<number | null>;
  readonly ready: Promise<Record<string, unknown>>;
  readonly stderr: () => string;
}

const children: ChildProcess[] = [];
let jm: FakeJobManager | undefined;

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await jm?.stop();
  jm = undefined;
});

function startTm(args: string[]): TmProcess {
  const env = { ...process.env };
  delete env.CONTAINER_ID;
  delete env.NM_HOST;
  const proc = spawn(process.execPath, ['--import', `file://${TSX}`, MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  children.push(proc);
  let err = '';
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
    createInterface({ input: proc.stdout }).on('line', (line) => {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      if (parsed.ready === true) resolve(parsed);
    });
    void exited.then((code) => reject(new Error(`taskmanager exited with ${code} before ready: ${err}`)));
  });
  ready.catch(() => {});
  return { proc, exited, ready, stderr: () => err };
}

const locationOf = (ready: Record<string, unknown>): TaskManagerLocation => ({
  resourceId: String(ready.resourceId),
  address: String(ready.address),
  dataAddress: String(ready.dataAddress),
  host: '127.0.0.1',
});

describe('runtime/taskexecutor/main.ts as a process', () => {
  it('prints a ready line, registers with its slots, and exits 0 on SIGTERM after disconnecting', async () => {
    const fakeJm = (jm = new FakeJobManager());
    await fakeJm.start();
    const tm = startTm(['--jm', fakeJm.url, '--slots', '2', '--memory', '1024', '--resource-id', 'tm-proc-1', '--host', '127.0.0.1', '--conf', 'heartbeat.interval=200']);
    const ready = await tm.ready;
    expect(ready).toMatchObject({ resourceId: 'tm-proc-1', address: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) as string, dataAddress: expect.stringMatching(/^127\.0\.0\.1:\d+$/) as string });
    const registration = await fakeJm.waitFor('registration', () => fakeJm.registrations.find((r) => r.location.resourceId === 'tm-proc-1'));
    expect(registration).toMatchObject({ numberOfSlots: 2, memoryMb: 1024, location: { address: ready.address, dataAddress: ready.dataAddress } });
    await fakeJm.waitFor('a heartbeat with the slot report', () => fakeJm.rmHeartbeats.includes('tm-proc-1'));
    expect(fakeJm.slotReports.at(-1)?.slotReport).toHaveLength(2);

    tm.proc.kill('SIGTERM');
    expect(await tm.exited).toBe(0);
    expect(fakeJm.rmDisconnects.map((d) => d.resourceId)).toEqual(['tm-proc-1']);
  });

  it('exits 1 when the JobManager stays unreachable past heartbeat.timeout', async () => {
    const tm = startTm(['--jm', 'http://127.0.0.1:9', '--slots', '1', '--memory', '512', '--resource-id', 'tm-lonely', '--host', '127.0.0.1', '--conf', 'heartbeat.interval=100', '--conf', 'heartbeat.timeout=800']);
    await tm.ready;
    expect(await tm.exited).toBe(1);
  });

  it('exits 1 with one clear line on a bad flag', async () => {
    const tm = startTm(['--jm', 'http://127.0.0.1:9', '--slots', 'two', '--resource-id', 'x']);
    expect(await tm.exited).toBe(1);
    expect(tm.stderr().trim()).toBe("taskmanager: --slots: expected a positive integer, got 'two'");
  });

  it('runs a job across two TaskManager processes (records over TCP between processes)', async () => {
    const fakeJm = (jm = new FakeJobManager());
    await fakeJm.start();
    fakeJm.blobs.set('keyed-sum', await compiledJobFile(JOB_FILE));
    const tms = ['tm-a', 'tm-b'].map((id) => startTm(['--jm', fakeJm.url, '--slots', '1', '--memory', '512', '--resource-id', id, '--host', '127.0.0.1']));
    const locations = (await Promise.all(tms.map((t) => t.ready))).map(locationOf);
    const rpcs = locations.map((l) => httpTaskExecutorGateways()(l.address));
    const jobId = newFlinkId();
    const allocations = locations.map(() => newFlinkId());
    for (const [i, l] of locations.entries()) {
      await rpcs[i]!.requestSlot({
        body: { slotId: { resourceId: l.resourceId, slotNumber: 0 }, jobId, allocationId: allocations[i]!, resourceProfile: { cpuCores: 1, taskHeapMemoryMb: 512, managedMemoryMb: 0 }, targetAddress: fakeJm.url, resourceManagerId: newFlinkId() },
      });
    }
    await fakeJm.waitFor('both slots offered', () => fakeJm.offers.length >= 2);
    const RECORDS = 2_000_000;
    const EVERY = 1000;
    const KEYS = 10;
    const { tasks } = await deployJob({
      jobId,
      file: JOB_FILE,
      blobKey: 'keyed-sum',
      args: ['--records', String(RECORDS), '--keys', String(KEYS), '--every', String(EVERY)],
      jobMasterAddress: fakeJm.url,
      slots: locations.map((location, i) => ({ location, allocationId: allocations[i]! })),
    });
    const rpcOf = new Map(locations.map((l, i) => [l.resourceId, rpcs[i]!]));
    // The offer's acceptance reaches the TM right after the JM answered; retry the first submit until the slot is ACTIVE.
    const submitted = Date.now();
    for (const task of [...tasks].reverse()) {
      for (let attempt = 0; ; attempt++) {
        try {
          await rpcOf.get(task.location.resourceId)!.submitTask({ body: { tdd: task.tdd, jobMasterId: fakeJm.jobMasterId } });
          break;
        } catch (err) {
          if (attempt >= 50) throw err;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    }
    const ids = tasks.map((t) => t.tdd.executionAttemptId);
    const running = await fakeJm.waitFor('all RUNNING', () => (ids.every((id) => fakeJm.statesOf(id).includes('RUNNING')) ? Date.now() : undefined), 30_000);
    const finished = await fakeJm.waitFor('all FINISHED', () => (ids.every((id) => fakeJm.statesOf(id).at(-1) === 'FINISHED') ? Date.now() : undefined), 60_000);
    const seconds = (finished - running) / 1000;
    console.log(
      `cross-process keyed sum: ${RECORDS} records in ${seconds.toFixed(2)} s from all RUNNING to all FINISHED ` +
        `(${Math.round(RECORDS / seconds)} records/s; submit -> RUNNING ${running - submitted} ms)`,
    );
    const sums = fakeJm.collected.get('sums') as { key: string; value: number }[];
    expect(sums).toHaveLength(RECORDS / EVERY);
    for (let k = 0; k < KEYS; k++) expect(Math.max(...sums.filter((s) => s.key === `k${k}`).map((s) => s.value))).toBe(RECORDS / KEYS);

    for (const t of tms) t.proc.kill('SIGTERM');
    expect(await Promise.all(tms.map((t) => t.exited))).toEqual([0, 0]);
  });

  it('on SIGTERM cancels its running tasks, reports them CANCELED, disconnects and exits 0', async () => {
    const fakeJm = (jm = new FakeJobManager());
    await fakeJm.start();
    fakeJm.blobs.set('keyed-sum', await compiledJobFile(JOB_FILE));
    const tm = startTm(['--jm', fakeJm.url, '--slots', '2', '--memory', '512', '--resource-id', 'tm-busy', '--host', '127.0.0.1']);
    const location = locationOf(await tm.ready);
    const rpc = httpTaskExecutorGateways()(location.address);
    const jobId = newFlinkId();
    const allocations = [newFlinkId(), newFlinkId()];
    for (const [slotNumber, allocationId] of allocations.entries()) {
      await rpc.requestSlot({
        body: { slotId: { resourceId: 'tm-busy', slotNumber }, jobId, allocationId, resourceProfile: { cpuCores: 1, taskHeapMemoryMb: 256, managedMemoryMb: 0 }, targetAddress: fakeJm.url, resourceManagerId: newFlinkId() },
      });
    }
    await fakeJm.waitFor('slots offered', () => fakeJm.offers.flatMap((o) => o.offers).length >= 2);
    const { tasks } = await deployJob({
      jobId,
      file: JOB_FILE,
      blobKey: 'keyed-sum',
      args: ['--rate', '50000', '--every', '100'],
      jobMasterAddress: fakeJm.url,
      slots: allocations.map((allocationId) => ({ location, allocationId })),
    });
    for (const task of [...tasks].reverse()) {
      for (let attempt = 0; ; attempt++) {
        try {
          await rpc.submitTask({ body: { tdd: task.tdd, jobMasterId: fakeJm.jobMasterId } });
          break;
        } catch (err) {
          if (attempt >= 50) throw err;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    }
    const ids = tasks.map((t) => t.tdd.executionAttemptId);
    await fakeJm.waitFor('all RUNNING', () => ids.every((id) => fakeJm.statesOf(id).includes('RUNNING')));
    await fakeJm.waitFor('results flowing', () => (fakeJm.collected.get('sums')?.length ?? 0) > 10);

    tm.proc.kill('SIGTERM');
    expect(await tm.exited).toBe(0);
    for (const id of ids) expect(fakeJm.statesOf(id).at(-1)).toBe('CANCELED');
    expect(fakeJm.jmDisconnects).toEqual([{ jobId, resourceId: 'tm-busy' }]);
    expect(fakeJm.rmDisconnects.map((d) => d.resourceId)).toEqual(['tm-busy']);
  });
});
