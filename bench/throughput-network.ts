import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { InputStatus, type StreamElementHandler } from '../runtime/network/input-gate.ts';
import { NetworkEnvironment } from '../runtime/network/network-environment.ts';

/**
 * `npm run bench -- network`: one producer subtask in a child process sends small records
 * (`[string, number]` tuples) over TCP to one consumer subtask in this process, through the real
 * network stack: binary codec, 32 KiB buffers, credit-based flow control, decode on the receiver.
 *
 * network_throughput: records / time from the first record received to the end of the partition
 * (process start-up excluded). network_bytes_per_s: payload bytes (records + length prefixes,
 * without frame headers) over the same time.
 *
 * Options: --records N (default 10,000,000), --buffer-timeout MS (default 100).
 */
const WORDS = ['the', 'quick', 'brown', 'fox', 'jumps', 'over', 'lazy', 'dog', 'stream', 'flink', 'weft', 'network'];
const PARTITION_ID = 'bench-network-0';

function option(args: readonly string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const value = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isFinite(value)) throw new Error(`${name} needs a number`);
  return value;
}

/** The child: serves one partition and writes `records` tuples into it as fast as credit allows. */
async function producer(records: number, bufferTimeoutMs: number): Promise<void> {
  const env = new NetworkEnvironment({ bufferTimeoutMs });
  const address = await env.start();
  const partition = env.createResultPartition<[string, number]>({ id: PARTITION_ID, numSubpartitions: 1 });
  console.log(`ready ${address}`);
  const words = WORDS;
  const tuple: [string, number] = ['', 0];
  for (let i = 0; i < records; i++) {
    // The record is serialised during emit, so one tuple object can be reused.
    tuple[0] = words[i % words.length]!;
    tuple[1] = i;
    if (!partition.emitRecord(tuple, 0)) await partition.availability();
  }
  partition.finish();
  await partition.whenConsumed();
  await env.close();
}

class Summing implements StreamElementHandler<[string, number]> {
  count = 0;
  sum = 0;
  firstAt = 0;

  processRecord(record: [string, number]): void {
    if (this.count++ === 0) this.firstAt = performance.now();
    this.sum += record[1] + record[0].length;
  }

  processWatermark(): void {}
  processEvent(): void {}
}

export async function run(args: readonly string[]): Promise<void> {
  const records = option(args, '--records', 10_000_000);
  const bufferTimeoutMs = option(args, '--buffer-timeout', 100);
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), 'producer', String(records), String(bufferTimeoutMs)], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const env = new NetworkEnvironment();
  try {
    const lines = createInterface({ input: child.stdout });
    let address = '';
    for await (const line of lines) {
      if (line.startsWith('ready ')) {
        address = line.slice('ready '.length);
        break;
      }
    }
    if (address === '') throw new Error('producer process did not start');
    await env.start();
    const gate = env.createInputGate<[string, number]>({ channels: [{ partitionId: PARTITION_ID, subpartitionIndex: 0, producerAddress: address }] });
    const handler = new Summing();
    gate.requestPartitions();
    for (;;) {
      const status = gate.emitNext(handler);
      if (status === InputStatus.END_OF_INPUT) break;
      if (status === InputStatus.NOTHING_AVAILABLE) await gate.availability();
    }
    const seconds = (performance.now() - handler.firstAt) / 1000;
    const expectedSum = Array.from({ length: records }, (_, i) => i + WORDS[i % WORDS.length]!.length).reduce((a, b) => a + b, 0);
    if (handler.count !== records || handler.sum !== expectedSum) throw new Error(`lost records: got ${handler.count} of ${records}`);
    console.log(`network_throughput: ${Math.round(records / seconds)} records/s`);
    console.log(`network_bytes_per_s: ${Math.round(gate.counters.numBytesIn / seconds)} B/s`);
    console.log(`network_records: ${records} records`);
    console.log(`network_buffers: ${gate.counters.numBuffersIn} buffers`);
    console.log(`network_time: ${(seconds * 1000).toFixed(0)} ms`);
    gate.close();
  } finally {
    await env.close();
    const [code] = (await exited) as [number | null];
    if (code !== 0) console.error(`producer process exited with ${code}`);
  }
}

if (process.argv[2] === 'producer' && process.argv[1] === fileURLToPath(import.meta.url)) {
  await producer(Number(process.argv[3]), Number(process.argv[4]));
}
