import { WeftError, fromRemoteException } from './errors.ts';
import { isReply, type Client, type Handlers, type RouteSpec } from './route.ts';
import { parseRouteInput } from './route-input.ts';

export interface InProcessClientOptions<Caller> {
  /**
   * Who is calling, resolved on every call as the HTTP server's authenticator does from the
   * request (an AMRM token, a user name), so a refused credential is refused in-process too.
   */
  readonly caller: (spec: RouteSpec) => Caller;
  /** The base URL handlers see as the request's origin (for Location headers). */
  readonly origin?: string;
}

type WireCall = (input: { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown } | undefined) => Promise<unknown>;

/** Path and query values as they reach the server: strings, as the HTTP client writes them. */
function asWire(values: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values ?? {})) if (v !== undefined) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return out;
}

/**
 * The same typed client as createHttpClient, calling the route handlers in this process: the
 * request and the response go through the route's zod schemas as they would over the wire, and
 * errors arrive as the same WeftError kinds, minus the sockets. Tests wire a whole cluster in one
 * process with it and the scheduler load simulator drives the real RM through it.
 */
export function createInProcessClient<Routes extends Record<string, RouteSpec>, Caller>(
  routes: Routes,
  handlers: Handlers<Routes, Caller>,
  options: InProcessClientOptions<Caller>,
): Client<Routes> {
  const origin = options.origin ?? 'http://localhost';
  const client: Record<string, WireCall> = {};
  for (const name of Object.keys(routes)) {
    const spec = routes[name]!;
    const handler = handlers[name] as unknown as (input: unknown) => unknown;
    client[name] = async (input) => {
      const caller = options.caller(spec);
      const parsed = parseRouteInput(spec, { params: asWire(input?.params), query: asWire(input?.query), body: input?.body });
      const result = await handler({ ...parsed, caller, origin });
      let body = result;
      if (isReply(result)) {
        if (result.status >= 400) throw fromRemoteException(result.status, result.body);
        body = result.body;
      }
      if (spec.responseType === 'text' && body instanceof Uint8Array) body = Buffer.from(body).toString('utf8');
      const checked = spec.response.safeParse(body);
      if (!checked.success) throw new WeftError('Yarn', `unexpected response from ${spec.method} ${spec.path}: ${checked.error.message}`);
      return checked.data;
    };
  }
  return client as Client<Routes>;
}
