import { formatRecord } from '../record-format.ts';
import { AbstractStreamOperator, type RecordUse } from '../stream-operator.ts';
import type { TextOutput } from '../text-output.ts';

/**
 * print(): one line per record on the task's stdout, prefixed as Flink's PrintSinkOutputWriter does:
 * `identifier:` when given, `subtaskIndex+1> ` when the sink runs with parallelism > 1.
 */
export class PrintSinkOperator<T> extends AbstractStreamOperator<T, never> {
  /** Each record becomes text in collect(); nothing of it is kept. */
  readonly recordUse: RecordUse = 'reads';
  private readonly identifier: string | undefined;
  private prefix = '';
  private stdout!: TextOutput;

  constructor(identifier?: string) {
    super();
    this.identifier = identifier;
  }

  override open(): void {
    const { parallelism, subtaskIndex, services } = this.context;
    const subtask = parallelism > 1 ? `${subtaskIndex + 1}` : '';
    if (this.identifier !== undefined) this.prefix = subtask ? `${this.identifier}:${subtask}> ` : `${this.identifier}> `;
    else this.prefix = subtask ? `${subtask}> ` : '';
    this.stdout = services.stdout;
  }

  collect(record: T): void {
    this.stdout.write(`${this.prefix}${formatRecord(record)}\n`);
  }
}
