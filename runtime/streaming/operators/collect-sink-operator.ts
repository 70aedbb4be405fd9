import type { CollectOutput } from '../collect-output.ts';
import { AbstractStreamOperator } from '../stream-operator.ts';

/** collect(name): hands every record to the task's CollectOutput under the sink's name. */
export class CollectSinkOperator<T> extends AbstractStreamOperator<T, never> {
  private readonly sinkName: string;
  private target!: CollectOutput;
  private subtaskIndex = 0;

  constructor(sinkName: string) {
    super();
    this.sinkName = sinkName;
  }

  override open(): void {
    this.target = this.context.services.collectOutput;
    this.subtaskIndex = this.context.subtaskIndex;
  }

  collect(record: T): void {
    this.target.collect(this.sinkName, this.subtaskIndex, record);
  }

  override finish(): void {
    this.target.finish(this.sinkName, this.subtaskIndex);
  }
}
