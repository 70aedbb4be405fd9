import express, { type ErrorRequestHandler, type Request, type Response, type Router } from 'express';
import { WeftError, toRemoteException } from './errors.ts';
import type { Logger } from './logger.ts';
import { isReply, type Handlers, type RouteSpec } from './route.ts';
import { renderedText } from './rendered-json.ts';
import { parseRouteInput } from './route-input.ts';

/** Resolves who is calling (user.name, an AMRM token, ...) or throws a WeftError. */
export type Authenticator<Caller> = (req: Request, spec: RouteSpec) => Caller;

/** Registers every route of a spec table on `router`, validating input before the handler runs. */
export function registerRoutes<Routes extends Record<string, RouteSpec>, Caller>(
  router: Router,
  routes: Routes,
  handlers: Handlers<Routes, Caller>,
  authenticate: Authenticator<Caller>,
): void {
  for (const name of Object.keys(routes) as (keyof Routes & string)[]) {
    const spec = routes[name]!;
    const handler = handlers[name] as unknown as (input: unknown) => unknown;
    const method = spec.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    router[method](spec.path, async (req: Request, res: Response) => {
      const caller = authenticate(req, spec);
      const input = parseRouteInput(spec, { params: req.params, query: req.query, body: req.body });
      const origin = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
      const result = await handler({ ...input, caller, origin });
      const reply = isReply(result) ? result : { status: spec.status, body: result, headers: {} };
      res.status(reply.status).set(reply.headers);
      if (reply.body === undefined) res.end();
      else if (spec.responseType === 'text') res.type('text/plain; charset=utf-8').set('X-Content-Type-Options', 'nosniff').send(reply.body);
      else {
        const text = renderedText(reply.body);
        if (text === undefined) res.json(reply.body);
        else res.type('application/json').send(text);
      }
    });
  }
}

/** JSON body parsing that answers malformed JSON with a RemoteException instead of HTML. */
export function jsonBody(limit = '10mb'): express.RequestHandler {
  return express.json({ limit, strict: false, type: ['application/json', 'application/*+json', 'text/json'] });
}

/** One error middleware: WeftErrors keep their status; anything else is a logged 500 bug. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    let error: WeftError;
    if (err instanceof WeftError) {
      error = err;
    } else if (err instanceof SyntaxError && 'body' in err) {
      error = new WeftError('BadRequest', `Malformed JSON in request body: ${err.message}`);
    } else if (typeof err === 'object' && err !== null && 'type' in err && err.type === 'entity.too.large') {
      error = new WeftError('BadRequest', 'Request body too large');
    } else {
      logger.error({ err, method: req.method, url: req.originalUrl }, 'unhandled error in request');
      error = new WeftError('Yarn', err instanceof Error ? err.message : String(err));
    }
    if (error.status >= 500) logger.warn({ err: error, url: req.originalUrl }, 'request failed');
    res.status(error.status).json(toRemoteException(error));
  };
}
