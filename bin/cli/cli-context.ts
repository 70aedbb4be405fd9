import { userInfo } from 'node:os';
import type { Clock } from '../../rm/common/clock.ts';
import { SystemClock } from '../../rm/common/clock.ts';
import { httpApplicationClientProtocol, type ApplicationClientProtocol } from '../../rm/protocol/client-rm.ts';
import { CliError } from './cli-error.ts';

/** Everything a command needs, built once from the global options and passed down. */
export interface CliContext {
  readonly rmUrl: string;
  readonly user: string;
  readonly json: boolean;
  readonly rm: ApplicationClientProtocol;
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

/**
 * The ResourceManager's base URL from `--rm` or WEFT_RM: `localhost:8088` means
 * `http://localhost:8088` (as yarn's `yarn.resourcemanager.webapp.address` is host:port); anything
 * that is not an http(s) origin is refused naming where it came from.
 */
export function normalizeRmUrl(raw: string, source = '--rm'): string {
  const value = raw.trim();
  const withScheme = /^[a-z][a-z\d+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new CliError(`${source} '${raw}' is not a ResourceManager address (expected host:port or http://host:port, e.g. http://localhost:8088)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError(`${source} '${raw}': the ResourceManager speaks http or https, not ${url.protocol.slice(0, -1)} (e.g. http://localhost:8088)`);
  }
  if (url.hostname === '' || url.search !== '' || url.hash !== '' || url.username !== '') {
    throw new CliError(`${source} '${raw}' is not a ResourceManager address (expected host:port or http://host:port, e.g. http://localhost:8088)`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

export function createCliContext(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env): CliContext {
  const rmUrl = options.rm !== undefined ? normalizeRmUrl(options.rm) : env.WEFT_RM ? normalizeRmUrl(env.WEFT_RM, 'WEFT_RM') : DEFAULT_RM_URL;
  const user = options.user ?? defaultUser(env);
  return {
    rmUrl,
    user,
    json: options.json === true,
    // Simple auth: every call names the user, writes need it (reference/yarn.md §1.2).
    rm: httpApplicationClientProtocol({ rmUrl, user, retries: 0, timeoutMs: 15_000 }),
    clock: new SystemClock(),
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
  };
}

export const printJson = (ctx: CliContext, value: unknown): void => ctx.out(`${JSON.stringify(value, null, 2)}\n`);
