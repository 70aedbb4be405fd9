/**
 * A producing TaskManager in its own process, for the cross-process test: serves partition
 * `partitionId` with one subpartition, prints `ready <host:port>`, writes `records` tuples
 * ([word, seq]) once asked, and exits 0 when the consumer has read everything.
 */
import { NetworkEnvironment } from '../../../../runtime/network/network-environment.ts';

const [partitionId = 'p', recordsArg = '1000'] = process.argv.slice(2);
const records = Number(recordsArg);
const env = new NetworkEnvironment();
const address = await env.start();
const partition = env.createResultPartition<[string, number]>({ id: partitionId, numSubpartitions: 1 });
console.log(`ready ${address}`);
const tuple: [string, number] = ['', 0];
for (let i = 0; i < records; i++) {
  tuple[0] = i % 3 === 0 ? 'ünï' : 'word';
  tuple[1] = i;
  if (!partition.emitRecord(tuple, 0)) await partition.availability();
}
partition.finish();
await partition.whenConsumed();
await env.close();
console.log(`done ${partition.counters.numRecordsOut}`);
