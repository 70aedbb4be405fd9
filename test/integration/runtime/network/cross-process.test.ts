import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { InputStatus, type StreamElementHandler } from '../../../../runtime/network/input-gate.ts';
import { NetworkEnvironment } from '../../../../runtime/network/network-environment.ts';

const children: ChildProcess[] = [];
const envs: NetworkEnvironment[] = [];

afterEach(async () => {
  await Promise.all(envs.splice(0).map((e) => e.close()));
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

describe('record channel between two processes', () => {
  it('moves 1M records from a producer process, in order, and both sides shut down cleanly', async () => {
    const RECORDS = 1_000_000;
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./producer-process.ts', import.meta.url)), 'xp-0', String(RECORDS)], {
      cwd: fileURLToPath(new URL('../../../..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    const exited = once(child, 'exit');
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const ready = (await lines.next()).value as string;
    expect(ready).toMatch(/^ready 127\.0\.0\.1:\d+$/);

    const env = new NetworkEnvironment();
    envs.push(env);
    await env.start();
    const gate = env.createInputGate<[string, number]>({ channels: [{ partitionId: 'xp-0', subpartitionIndex: 0, producerAddress: ready.slice(6) }] });
    let next = 0;
    let wrong = 0;
    const handler: StreamElementHandler<[string, number]> = {
      processRecord(record) {
        if (record[1] !== next || record[0] !== (next % 3 === 0 ? 'ünï' : 'word')) wrong++;
        next++;
      },
      processWatermark() {},
      processEvent() {},
    };
    gate.requestPartitions();
    for (;;) {
      const status = gate.emitNext(handler);
      if (status === InputStatus.END_OF_INPUT) break;
      if (status === InputStatus.NOTHING_AVAILABLE) await gate.availability();
    }
    expect(next).toBe(RECORDS);
    expect(wrong).toBe(0);
    expect((await lines.next()).value).toBe(`done ${RECORDS}`);
    gate.close();
    await env.close();
    envs.length = 0;
    expect(await exited).toStrictEqual([0, null]);
    expect(env.bufferPool.usedSegments).toBe(0);
    expect(process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP'))).toStrictEqual([]);
  });
});
