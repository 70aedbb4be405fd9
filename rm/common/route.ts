import { z } from 'zod';

/**
 * Route specs as data (after Flink's MessageHeaders): one object per endpoint names its method,
 * path, schemas, success status and delivery semantics. The same object registers the express
 * route and builds the typed HTTP client, so wire types are never declared twice.
 */
export type Semantics = 'safe' | 'idempotent' | 'atMostOnce';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** `json` unless said: `text` answers text/plain (a container log), which the client reads as a string. */
export type ResponseType = 'json' | 'text';

type Opt = z.ZodType | undefined;

export interface RouteSpec<P extends Opt = Opt, Q extends Opt = Opt, B extends Opt = Opt, R extends z.ZodType = z.ZodType> {
  readonly method: HttpMethod;
  /** Express-style path with `:param` segments. */
  readonly path: string;
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  readonly response: R;
  readonly status: number;
  readonly semantics: Semantics;
  readonly responseType?: ResponseType;
}

export function route<P extends Opt = undefined, Q extends Opt = undefined, B extends Opt = undefined, R extends z.ZodType = z.ZodType>(
  spec: RouteSpec<P, Q, B, R>,
): RouteSpec<P, Q, B, R> {
  return spec;
}

/** A text/plain route spec: the client reads the body as a string, the handler may answer the bytes as they are. */
export type TextRouteSpec<P extends Opt = Opt, Q extends Opt = Opt> = RouteSpec<P, Q, undefined, z.ZodString> & { readonly responseType: 'text' };

export function textRoute<P extends Opt = undefined, Q extends Opt = undefined>(
  spec: Omit<RouteSpec<P, Q, undefined, z.ZodString>, 'response' | 'responseType' | 'body'>,
): TextRouteSpec<P, Q> {
  return { ...spec, response: z.string(), responseType: 'text' };
}

type InferOr<T, D> = [T] extends [z.ZodType] ? z.infer<T> : D;
type AnyRoute = RouteSpec;

export type ParamsOf<S> = S extends RouteSpec<infer P, Opt, Opt, z.ZodType> ? InferOr<P, Record<string, never>> : never;
export type QueryOf<S> = S extends RouteSpec<Opt, infer Q, Opt, z.ZodType> ? InferOr<Q, Record<string, never>> : never;
export type BodyOf<S> = S extends RouteSpec<Opt, Opt, infer B, z.ZodType> ? InferOr<B, undefined> : never;
export type ResponseOf<S> = S extends RouteSpec<Opt, Opt, Opt, infer R> ? z.infer<R> : never;

/** What a handler sees: parsed, validated input plus the authenticated caller. */
export interface RouteInput<S, Caller> {
  readonly params: ParamsOf<S>;
  readonly query: QueryOf<S>;
  readonly body: BodyOf<S>;
  readonly caller: Caller;
  /** Base URL the request came in on (`http://host:port`), for Location headers. */
  readonly origin: string;
}

const REPLY = Symbol('reply');

/** A response with a status or headers other than the spec's defaults (e.g. 202 + Location). */
export interface Reply<T> {
  readonly [REPLY]: true;
  readonly status: number;
  readonly body: T;
  readonly headers: Readonly<Record<string, string>>;
}

export function reply<T>(status: number, body: T, headers: Record<string, string> = {}): Reply<T> {
  return { [REPLY]: true, status, body, headers };
}

export function isReply(value: unknown): value is Reply<unknown> {
  return typeof value === 'object' && value !== null && REPLY in value;
}

/** What a handler answers: the response, or for a text route the bytes of it (a file as it is on disk). */
type HandlerResult<S> = ResponseOf<S> | Reply<ResponseOf<S>> | (S extends { readonly responseType: 'text' } ? Uint8Array : never);

export type Handler<S, Caller> = (input: RouteInput<S, Caller>) => Promise<HandlerResult<S>> | HandlerResult<S>;

export type Handlers<Routes extends Record<string, AnyRoute>, Caller> = {
  readonly [K in keyof Routes]: Handler<Routes[K], Caller>;
};

/** Arguments of a typed client call; parts the route does not have may be left out. */
export type CallInput<S> = (ParamsOf<S> extends Record<string, never> ? { params?: undefined } : { params: ParamsOf<S> }) &
  (QueryOf<S> extends Record<string, never> ? { query?: undefined } : { query?: Partial<QueryOf<S>> }) &
  (BodyOf<S> extends undefined ? { body?: undefined } : { body: BodyOf<S> });

export type Client<Routes extends Record<string, AnyRoute>> = {
  readonly [K in keyof Routes]: (input: CallInput<Routes[K]>) => Promise<ResponseOf<Routes[K]>>;
};

export function expandPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${path}`);
    return encodeURIComponent(typeof value === 'string' ? value : JSON.stringify(value));
  });
}
