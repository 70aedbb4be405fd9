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
  /**
   * The error an answer with a non-2xx status becomes; YARN's RemoteException by default. A
   * protocol with another error body (Flink's `{"errors": [...]}`) passes its own.
   */
  readonly errorOf?: (answer: ErrorAnswer) => Error;
}

/** A non-2xx answer as the client saw it: `path` is the route's path with its parameters filled in. */
export interface ErrorAnswer {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly body: unknown;
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
      const path = expandPath(spec.path, input?.params);
      const url = new URL(base + path);
      for (const [k, v] of Object.entries({ ...options.query?.(), ...input?.query })) {
        if (v !== undefined) url.searchParams.set(k, typeof v === 'string' ? v : JSON.stringify(v));
      }
      const retries = spec.semantics === 'atMostOnce' ? 0 : (options.retries ?? 2);
      for (let attempt = 0; ; attempt++) {
        let res: Response;
        try {
          // A FormData body (a file upload) goes as multipart, with the boundary fetch chooses.
          const form = input?.body instanceof FormData ? input.body : undefined;
          const json = input?.body !== undefined && form === undefined;
          res = await fetch(url, {
            method: spec.method,
            headers: { accept: spec.responseType === 'text' ? 'text/plain' : 'application/json', ...(json ? { 'content-type': 'application/json' } : {}), ...options.headers?.() },
            body: form ?? (json ? JSON.stringify(input.body) : null),
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
        // A text route's answer is the text itself; its errors are JSON like any other route's.
        const body: unknown = res.ok && spec.responseType === 'text' ? text : text.length > 0 ? parseJson(text, res.status) : undefined;
        if (!res.ok) throw options.errorOf ? options.errorOf({ method: spec.method, path, status: res.status, body }) : fromRemoteException(res.status, body);
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

/**
 * One typed client per base URL, built on first use: for a protocol served at many addresses
 * (every TaskManager, every JobManager a TaskManager works for).
 */
export function createHttpClients<Routes extends Record<string, RouteSpec>>(routes: Routes, options: HttpClientOptions = {}): (baseUrl: string) => Client<Routes> {
  const clients = new Map<string, Client<Routes>>();
  return (baseUrl) => {
    let client = clients.get(baseUrl);
    if (!client) {
      client = createHttpClient(baseUrl, routes, options);
      clients.set(baseUrl, client);
    }
    return client;
  };
}

function parseJson(text: string, status: number): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { RemoteException: { exception: 'YarnException', message: `HTTP ${status}: ${text.slice(0, 200)}`, javaClassName: '' } };
  }
}
