import { ChainingStrategy } from '../jobgraph/stream-graph.ts';
import type { Transformation } from './transformation.ts';

/** What print(), writeAsText() and collect() return: a sink can be named and configured, not extended. */
export class DataStreamSink {
  readonly transformation: Transformation;

  constructor(transformation: Transformation) {
    this.transformation = transformation;
  }

  name(name: string): this {
    this.transformation.name = name;
    return this;
  }

  uid(uid: string): this {
    this.transformation.uid = uid;
    return this;
  }

  setParallelism(parallelism: number): this {
    this.transformation.parallelism = parallelism;
    return this;
  }

  slotSharingGroup(group: string): this {
    this.transformation.slotSharingGroup = group;
    return this;
  }

  disableChaining(): this {
    this.transformation.chainingStrategy = ChainingStrategy.NEVER;
    return this;
  }
}
