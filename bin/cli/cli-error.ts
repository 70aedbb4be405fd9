import { WeftError } from '../../rm/common/errors.ts';
import { UnreachableError } from '../../rm/common/http-client.ts';

/** An error meant for the user: printed as one line, no stack, exit code 1 unless told. */
export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

const NETWORK_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'timed out',
  TimeoutError: 'timed out',
  EHOSTUNREACH: 'host unreachable',
};

function originOf(url: string): string {
  const m = /https?:\/\/[^/\s]+/.exec(url);
  return m ? m[0] : url;
}

/** The one line `weft` prints for an error, without the `weft: ` prefix. */
export function describeCliError(err: unknown, rmUrl: string): string {
  if (err instanceof UnreachableError) {
    const reason = (err.code !== undefined ? NETWORK_REASONS[err.code] : undefined) ?? err.code ?? 'unreachable';
    const origin = originOf(err.url);
    if (origin === originOf(rmUrl)) {
      return `cannot reach the ResourceManager at ${rmUrl}: ${reason} — is the cluster running? start one with \`weft cluster start\``;
    }
    return `cannot reach ${origin}: ${reason}`;
  }
  if (err instanceof WeftError || err instanceof CliError) return err.message.replace(/^java\.lang\.Exception: /, '');
  if (err instanceof Error) return err.message;
  return String(err);
}
