import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { END_OF_INPUT, NO_TIMESTAMP } from '../stream-element.ts';
import { AbstractSourceOperator } from '../stream-operator.ts';

const CHUNK = 64 * 1024;

/**
 * readTextFile(path): the file's lines (without `\n` / `\r\n`), read in 64 KiB chunks so a large
 * file never sits in memory whole. Non-parallel; should it run with parallelism p, subtask i emits
 * lines i, i+p, ...
 */
export class TextFileSource extends AbstractSourceOperator<string> {
  private readonly path: string;
  private fd = -1;
  private readonly chunk = Buffer.allocUnsafe(CHUNK);
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  private lines: string[] = [];
  private lineIndex = 0;
  private lineNumber = 0;
  private eof = false;

  constructor(path: string) {
    super();
    this.path = path;
  }

  override open(): void {
    this.fd = openSync(this.path, 'r');
  }

  emitNext(max: number): number {
    const { parallelism, subtaskIndex } = this.context;
    let emitted = 0;
    while (emitted < max) {
      if (this.lineIndex >= this.lines.length && !this.fill()) return emitted > 0 ? emitted : END_OF_INPUT;
      const line = this.lines[this.lineIndex++] as string;
      if (this.lineNumber++ % parallelism !== subtaskIndex) continue;
      this.output.collect(line, NO_TIMESTAMP);
      emitted++;
    }
    return emitted;
  }

  override close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  /** Reads the next chunk into `lines`; false once the file is exhausted. */
  private fill(): boolean {
    this.lines = [];
    this.lineIndex = 0;
    while (this.lines.length === 0) {
      if (this.eof) return false;
      const n = readSync(this.fd, this.chunk, 0, CHUNK, null);
      let text: string;
      if (n === 0) {
        this.eof = true;
        text = this.pending + this.decoder.end();
        this.pending = '';
        if (text.length > 0) this.lines = [stripCr(text)];
        continue;
      }
      text = this.pending + this.decoder.write(this.chunk.subarray(0, n));
      const parts = text.split('\n');
      this.pending = parts.pop() ?? '';
      this.lines = parts.map(stripCr);
    }
    return true;
  }
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
