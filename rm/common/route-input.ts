import { z } from 'zod';
import { WeftError } from './errors.ts';
import type { RouteSpec } from './route.ts';

/** A call's path parameters, query and body: as they arrive, or validated with the schemas' defaults applied. */
export interface RouteInputParts {
  readonly params: unknown;
  readonly query: unknown;
  readonly body: unknown;
}

function invalid(where: string, error: z.ZodError): WeftError {
  return new WeftError('BadRequest', `Invalid ${where}: ${z.prettifyError(error).replace(/\n/g, '; ')}`);
}

/**
 * Validates a call against its route's schemas, once for every transport: the express routes and
 * the in-process clients both call this, so a request one refuses the other refuses too.
 */
export function parseRouteInput(spec: RouteSpec, raw: RouteInputParts): RouteInputParts {
  const params = spec.params ? spec.params.safeParse(raw.params) : undefined;
  if (params && !params.success) throw invalid('path', params.error);
  const query = spec.query ? spec.query.safeParse(raw.query) : undefined;
  if (query && !query.success) throw invalid('query', query.error);
  let body: unknown;
  if (spec.body) {
    const parsed = spec.body.safeParse(raw.body ?? {});
    if (!parsed.success) throw invalid('request body', parsed.error);
    body = parsed.data;
  }
  return { params: params?.data ?? {}, query: query?.data ?? {}, body };
}
