import { WeftError, fromRemoteException } from './errors.ts';
import { expandPath, type Client, type RouteSpec } from './route.ts';

export interface HttpClientOptions {
  /** Extra headers per call (e.g. the AMRM token), read at call time so tokens can roll. */
  readonly headers?: () => Record<string, string>;
  /** Extra query parameters on every call (e.g. `user.name` for simple auth). */
  readonly query?: () => Record<string, string>;
  /** How often a safe or idempotent call is retried when the server cannot be reached. */
  readonly retries?: number;
  readonly retryDelayMs?: number;
  readonly timeoutMs?: number;
}

const RETRYABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ETIMEDOUT']);

function networkCode(err: unknown): string | undefined {
  const cause = (err as { cause?: { code?: string } } | undefined)?.cause;
  return cause?.code ?? (err as { code?: string } | undefined)?.code;
}

/** Thrown when the server could not be reached at all (as opposed to answering with an error). */
export class UnreachableError extends Error {
  readonly url: string;
  readonly code: string | undefined;

  constructor(url: string, code: string | undefined) {
    super(`cannot reach ${url}${code ? ` (${code})` : ''}`);
    this.name = 'UnreachableError';
    this.url = url;
    this.code = code;
  }
}

/** Builds a typed client from a route table: one async function per route. */
export function createHttpClient<Routes extends Record<string, RouteSpec>>(
  baseUrl: string,
  routes: Routes,
  options: HttpClientOptions = {},
): Client<Routes> {
  const base = baseUrl.replace(/\/+$/, '');
  const client: Record<string, (input: { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown }) => Promise<unknown>> = {};
  for (const name of Object.keys(routes)) {
    const spec = routes[name]!;
    client[name] = async (input) => {
      const url = new URL(base + expandPath(spec.path, input?.params));
      for (const [k, v] of Object.entries({ ...options.query?.(), ...input?.query })) {
        if (v !== undefined) url.searchParams.set(k, typeof v === 'string' ? v : JSON.stringify(v));
      }
      const retries = spec.semantics === 'atMostOnce' ? 0 : (options.retries ?? 2);
      for (let attempt = 0; ; attempt++) {
        let res: Response;
        try {
          res = await fetch(url, {
            method: spec.method,
            headers: { accept: 'application/json', ...(input?.body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers?.() },
            body: input?.body !== undefined ? JSON.stringify(input.body) : null,
            signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
          });
        } catch (err) {
          const code = networkCode(err);
          if (attempt < retries && code !== undefined && RETRYABLE.has(code)) {
            await new Promise((r) => setTimeout(r, (options.retryDelayMs ?? 100) * (attempt + 1)));
            continue;
          }
          throw new UnreachableError(`${spec.method} ${url.origin}${url.pathname}`, code ?? (err as Error).name);
        }
        const text = await res.text();
        const body: unknown = text.length > 0 ? parseJson(text, res.status) : undefined;
        if (!res.ok) throw fromRemoteException(res.status, body);
        const parsed = spec.response.safeParse(body);
        if (!parsed.success) {
          throw new WeftError('Yarn', `unexpected response from ${spec.method} ${url.pathname}: ${parsed.error.message}`);
        }
        return parsed.data;
      }
    };
  }
  return client as Client<Routes>;
}

function parseJson(text: string, status: number): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { RemoteException: { exception: 'YarnException', message: `HTTP ${status}: ${text.slice(0, 200)}`, javaClassName: '' } };
  }
}
