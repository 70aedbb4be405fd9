import type { Resource } from '../protocol/records.ts';
import type { ResourceCalculator } from './resource-calculator.ts';
import type { SchedulerNode } from './scheduler.ts';

/**
 * The nodes of one scheduling pass with their free resources, charged locally as the pass
 * places containers (the snapshot it came from is immutable). Placement is first fit from a
 * rotating cursor, so consecutive containers land on consecutive nodes and the cursor moves
 * forward: amortised O(1) per placement instead of a scan or sort of all nodes.
 */
export class NodePool {
  readonly nodes: readonly SchedulerNode[];
  readonly count: number;
  readonly freeMemory: Float64Array;
  readonly freeVCores: Float64Array;
  private readonly calc: ResourceCalculator;
  private cursorAt: number;
  private byHost: Map<string, number[]> | undefined;
  private byRack: Map<string, number[]> | undefined;
  // Free space only shrinks during a pass, so once an unconstrained ask fails, every ask at least
  // as large fails too: remembered to avoid rescanning all nodes for each of them.
  private failedMemory = Number.POSITIVE_INFINITY;
  private failedVCores = Number.POSITIVE_INFINITY;

  constructor(nodes: readonly SchedulerNode[], calc: ResourceCalculator, cursor: number) {
    this.nodes = nodes;
    this.count = nodes.length;
    this.calc = calc;
    this.freeMemory = new Float64Array(this.count);
    this.freeVCores = new Float64Array(this.count);
    for (let i = 0; i < this.count; i++) {
      const n = nodes[i] as SchedulerNode;
      this.freeMemory[i] = n.available.memory;
      this.freeVCores[i] = n.available.vCores;
    }
    this.cursorAt = this.count > 0 ? ((cursor % this.count) + this.count) % this.count : 0;
  }

  /** Where the next pass should start, so load keeps spreading across passes. */
  get cursor(): number {
    return this.cursorAt;
  }

  nodeAt(index: number): SchedulerNode {
    return this.nodes[index] as SchedulerNode;
  }

  fitsAt(index: number, memory: number, vCores: number): boolean {
    return this.calc.fits(memory, vCores, this.freeMemory[index] as number, this.freeVCores[index] as number);
  }

  /** First node from the cursor that fits and is not blacklisted; -1 if none. */
  findAny(memory: number, vCores: number, blacklist: ReadonlySet<string> | undefined): number {
    const unconstrained = blacklist === undefined || blacklist.size === 0;
    if (unconstrained && memory >= this.failedMemory && (this.calc.name === 'default' || vCores >= this.failedVCores)) return -1;
    const n = this.count;
    let i = this.cursorAt;
    for (let k = 0; k < n; k++) {
      if (this.fitsAt(i, memory, vCores) && (unconstrained || !isBlacklisted(this.nodeAt(i), blacklist))) return i;
      i = i + 1 === n ? 0 : i + 1;
    }
    if (unconstrained && memory <= this.failedMemory) {
      this.failedMemory = memory;
      this.failedVCores = vCores;
    }
    return -1;
  }

  /** A node on `host` (a host name or a `host:port` node id) that fits; -1 if none. */
  findOnHost(host: string, memory: number, vCores: number, blacklist: ReadonlySet<string> | undefined): number {
    this.byHost ??= this.index((node) => (node.host === node.nodeId ? [node.host] : [node.host, node.nodeId]));
    return this.firstFit(this.byHost.get(host), memory, vCores, blacklist);
  }

  findOnRack(rack: string, memory: number, vCores: number, blacklist: ReadonlySet<string> | undefined): number {
    this.byRack ??= this.index((node) => [node.rack]);
    return this.firstFit(this.byRack.get(rack), memory, vCores, blacklist);
  }

  take(index: number, memory: number, vCores: number): void {
    (this.freeMemory[index] as number) -= memory;
    (this.freeVCores[index] as number) -= vCores;
    this.cursorAt = index + 1 === this.count ? 0 : index + 1;
  }

  /** Largest free space on any single node, for "nothing fits" diagnostics. */
  largestFree(): Resource {
    let memory = 0;
    let vCores = 0;
    for (let i = 0; i < this.count; i++) {
      const m = this.freeMemory[i] as number;
      if (m > memory || (m === memory && (this.freeVCores[i] as number) > vCores)) {
        memory = m;
        vCores = this.freeVCores[i] as number;
      }
    }
    return { memory: Math.max(0, memory), vCores: Math.max(0, vCores) };
  }

  /** Whether any node could ever hold the ask, even empty. */
  anyNodeCanHold(ask: Resource): boolean {
    return this.nodes.some((n) => this.calc.fitsIn(ask, n.total));
  }

  largestNode(): Resource {
    let best: Resource = { memory: 0, vCores: 0 };
    for (const n of this.nodes) if (n.total.memory > best.memory) best = n.total;
    return best;
  }

  private firstFit(candidates: readonly number[] | undefined, memory: number, vCores: number, blacklist: ReadonlySet<string> | undefined): number {
    if (!candidates) return -1;
    for (const i of candidates) {
      if (this.fitsAt(i, memory, vCores) && !isBlacklisted(this.nodeAt(i), blacklist)) return i;
    }
    return -1;
  }

  private index(keys: (node: SchedulerNode) => readonly string[]): Map<string, number[]> {
    const map = new Map<string, number[]>();
    this.nodes.forEach((node, i) => {
      for (const key of keys(node)) {
        const list = map.get(key);
        if (list) list.push(i);
        else map.set(key, [i]);
      }
    });
    return map;
  }
}

function isBlacklisted(node: SchedulerNode, blacklist: ReadonlySet<string> | undefined): boolean {
  return blacklist !== undefined && (blacklist.has(node.host) || blacklist.has(node.nodeId));
}
