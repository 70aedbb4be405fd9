import { userInfo } from 'node:os';
import type { Clock } from '../../rm/common/clock.ts';
import { SystemClock } from '../../rm/common/clock.ts';
import { createHttpClient } from '../../rm/common/http-client.ts';
import { clientRmRoutes } from '../../rm/protocol/client-rm.ts';
import type { ClientRm } from '../../am/distributed-shell/client.ts';

/** Everything a command needs, built once from the global options and passed down. */
export interface CliContext {
  readonly rmUrl: string;
  readonly user: string;
  readonly json: boolean;
  readonly rm: ClientRm;
  readonly clock: Clock;
  /** Writes to stdout exactly as given. */
  readonly out: (text: string) => void;
  /** Writes to stderr exactly as given. */
  readonly err: (text: string) => void;
}

export interface GlobalOptions {
  readonly rm?: string;
  readonly user?: string;
  readonly json?: boolean;
}

export const DEFAULT_RM_URL = 'http://localhost:8088';

export function defaultUser(env: NodeJS.ProcessEnv = process.env): string {
  if (env.USER) return env.USER;
  try {
    return userInfo().username;
  } catch {
    return 'dr.who';
  }
}

export function createCliContext(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env): CliContext {
  const rmUrl = (options.rm ?? env.WEFT_RM ?? DEFAULT_RM_URL).replace(/\/+$/, '');
  const user = options.user ?? defaultUser(env);
  return {
    rmUrl,
    user,
    json: options.json === true,
    // Simple auth: every call names the user, writes need it (reference/yarn.md §1.2).
    rm: createHttpClient(rmUrl, clientRmRoutes, { query: () => ({ 'user.name': user }), retries: 0, timeoutMs: 15_000 }),
    clock: new SystemClock(),
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
  };
}

export const printJson = (ctx: CliContext, value: unknown): void => ctx.out(`${JSON.stringify(value, null, 2)}\n`);
