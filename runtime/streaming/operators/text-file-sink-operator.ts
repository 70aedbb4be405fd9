import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { formatRecord } from '../record-format.ts';
import { AbstractStreamOperator, type RecordUse } from '../stream-operator.ts';

const FLUSH_AT = 64 * 1024;

/**
 * writeAsText(path): one line per record. As Flink's FileOutputFormat does (without
 * fs.output.always-create-directory), parallelism 1 writes the file `path` itself and parallelism
 * n > 1 makes `path` a directory with one file per subtask named `1` .. `n`. Existing files are
 * overwritten. Lines are written every 64 KiB and at end of input.
 */
export class TextFileSinkOperator<T> extends AbstractStreamOperator<T, never> {
  /** Each record becomes text in collect(); nothing of it is kept. */
  readonly recordUse: RecordUse = 'reads';
  private readonly path: string;
  private fd = -1;
  private buffer = '';

  constructor(path: string) {
    super();
    this.path = path;
  }

  /** The file subtask `subtaskIndex` of `parallelism` writes. */
  static fileOf(path: string, parallelism: number, subtaskIndex: number): string {
    return parallelism > 1 ? join(path, String(subtaskIndex + 1)) : path;
  }

  override open(): void {
    const file = TextFileSinkOperator.fileOf(this.path, this.context.parallelism, this.context.subtaskIndex);
    mkdirSync(dirname(file), { recursive: true });
    this.fd = openSync(file, 'w');
  }

  collect(record: T): void {
    this.buffer += `${formatRecord(record)}\n`;
    if (this.buffer.length >= FLUSH_AT) this.flush();
  }

  override finish(): void {
    this.flush();
  }

  override close(): void {
    if (this.fd < 0) return;
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
  }

  private flush(): void {
    if (this.buffer.length === 0 || this.fd < 0) return;
    writeSync(this.fd, this.buffer);
    this.buffer = '';
  }
}
