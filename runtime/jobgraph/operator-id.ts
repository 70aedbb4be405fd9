import { createHash } from 'node:crypto';
import type { StreamGraph, StreamNode } from './stream-graph.ts';

/**
 * Deterministic operator ids, the role of Flink's StreamGraphHasherV2: a user-given uid is hashed on
 * its own, so it survives any change to the rest of the job; without one, the id is a hash of the
 * operator's path from the sources (its type, its inputs' ids and partitioners, and its ordinal among
 * operators with that same path). Every process that loads the same job file and args therefore
 * computes the same ids. Flink uses murmur3_128; md5 gives the same 16 bytes / 32 hex chars.
 */
export function computeOperatorIds(graph: StreamGraph, topologicalOrder: readonly StreamNode[]): Map<number, string> {
  const ids = new Map<number, string>();
  const uids = new Map<string, StreamNode>();
  const ordinals = new Map<string, number>();
  for (const node of topologicalOrder) {
    if (node.uid !== undefined) {
      const clash = uids.get(node.uid);
      if (clash) throw new Error(`Hash collision on user-specified ID "${node.uid}" (operators '${clash.name}' and '${node.name}'). Most likely cause is a non-unique ID.`);
      uids.set(node.uid, node);
      ids.set(node.id, md5(`uid:${node.uid}`));
      continue;
    }
    // The input number joins the path only for two-input operators, so other ids stay as they were.
    const inputs = node.inEdges.map((e) => `${ids.get(e.source) ?? '?'}/${e.partitioner}${e.typeNumber === undefined ? '' : `#${e.typeNumber}`}`).join(',');
    const path = `${node.role}|${node.type}|${inputs}`;
    const ordinal = ordinals.get(path) ?? 0;
    ordinals.set(path, ordinal + 1);
    ids.set(node.id, md5(`path:${path}|${ordinal}`));
  }
  return ids;
}

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}
