import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  readonly level?: string;
  /** Bound on every line: which process wrote it (`resourcemanager`, `nodemanager`, ...). */
  readonly process: string;
  /**
   * Where lines go: stdout by default, a file descriptor, a stream, or a file path (appended to,
   * its directory created), as Flink processes write their log to `log.file` apart from stdout.
   */
  readonly destination?: number | string | NodeJS.WritableStream;
}

export function createRootLogger(options: LoggerOptions): Logger {
  const destination = options.destination ?? 1;
  const stream =
    typeof destination === 'number' || typeof destination === 'string' ? pino.destination({ dest: destination, sync: false, mkdir: typeof destination === 'string' }) : destination;
  return pino({ level: options.level ?? 'info', base: { process: options.process } }, stream);
}

/** A logger that keeps its lines in memory, so tests can assert on what was logged. */
export function createMemoryLogger(level = 'debug'): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  return { logger: pino({ level }, stream), lines: () => lines };
}

/** A logger that drops everything; for benchmarks. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
