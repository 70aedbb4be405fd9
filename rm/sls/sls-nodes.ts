import { readFileSync } from 'node:fs';
import type { Resource } from '../protocol/records.ts';
import { FieldReader } from './field-reader.ts';
import { parseJsonStream, SlsInputError } from './json-stream.ts';
import type { NodeSpec } from './sls-job.ts';

/**
 * The SLS topology file (`--nodes`): concatenated `{"rack": "r1", "nodes": [{"node": "n1"}, ...]}`
 * objects; a node may override its `memory-mb` and `vcores` (SLSUtils.parseNodesFromNodeFile).
 * Node labels are read and ignored: weft has no node labels.
 */
export function parseNodesFile(text: string, file: string, defaults: Resource): NodeSpec[] {
  const nodes = new Map<string, NodeSpec>();
  parseJsonStream(text, file).forEach((value, i) => {
    const r = new FieldReader(value, `${file}: rack entry ${i}`);
    const rack = r.string('rack').replace(/^\/+/, '');
    const list = r.array('nodes') ?? r.fail('nodes', 'is missing');
    list.forEach((n, k) => {
      const node = new FieldReader(n, `${r.where} (${rack}): nodes[${k}]`);
      const host = node.string('node');
      if (host === '') node.fail('node', 'must name a host');
      if (nodes.has(host)) throw new SlsInputError(`${node.where}: node ${host} is listed twice`);
      const resource = { memory: node.int('memory-mb', defaults.memory), vCores: node.int('vcores', defaults.vCores) };
      if (resource.memory <= 0) node.fail('memory-mb', 'must be positive');
      if (resource.vCores <= 0) node.fail('vcores', 'must be positive');
      nodes.set(host, { host, rack, resource });
    });
  });
  return [...nodes.values()];
}

export function readNodesFile(file: string, defaults: Resource): NodeSpec[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new SlsInputError(`${file}: cannot read the nodes file: ${(err as Error).message}`);
  }
  return parseNodesFile(text, file, defaults);
}
