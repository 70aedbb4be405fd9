/** Where print() sinks write: the process's stdout in a TaskManager, a buffer in tests. */
export interface TextOutput {
  write(text: string): void;
}

/**
 * Gathers writes and hands them to the underlying stream once per event-loop turn (or every 64 KiB),
 * because one stream write per printed record would dominate the cost of a print sink.
 */
export class BufferedTextOutput implements TextOutput {
  private readonly target: { write(text: string): unknown };
  private buffer = '';
  private scheduled = false;
  private readonly flushSoon = (): void => {
    this.scheduled = false;
    this.flush();
  };

  constructor(target: { write(text: string): unknown }) {
    this.target = target;
  }

  write(text: string): void {
    this.buffer += text;
    if (this.buffer.length >= 65536) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushSoon);
    }
  }

  flush(): void {
    if (this.buffer.length === 0) return;
    const text = this.buffer;
    this.buffer = '';
    this.target.write(text);
  }
}

/** Keeps everything written, for tests. */
export class MemoryTextOutput implements TextOutput {
  text = '';

  write(text: string): void {
    this.text += text;
  }

  lines(): string[] {
    return this.text.split('\n').filter((l) => l.length > 0);
  }
}
