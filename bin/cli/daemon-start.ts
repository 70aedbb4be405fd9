import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { WEFT_HOME, WEFT_RUN } from './daemon-process.ts';

/**
 * `weft rm start` / `weft nm start`: runs one daemon in the foreground, sharing this terminal.
 * Signals are forwarded so Ctrl-C or SIGTERM stops the daemon gracefully; weft exits with its code.
 */
export async function runDaemonInForeground(entry: string, args: readonly string[]): Promise<number> {
  const child = spawn(WEFT_RUN, [resolve(WEFT_HOME, entry), ...args], { stdio: 'inherit', env: { ...process.env, WEFT_NODE: process.execPath } });
  const forward = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  try {
    return await new Promise<number>((res, rej) => {
      child.on('error', rej);
      child.on('exit', (code, signal) => res(code ?? (signal ? 128 : 1)));
    });
  } finally {
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
  }
}

/** Rebuilds `--flag value` pairs for the daemon from the options commander parsed. */
export function daemonArgs(flags: Readonly<Record<string, string | number | undefined>>, conf: readonly string[] = []): string[] {
  const args: string[] = [];
  for (const [flag, value] of Object.entries(flags)) if (value !== undefined) args.push(`--${flag}`, String(value));
  for (const kv of conf) args.push('--conf', kv);
  return args;
}
