import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { WeftError } from '../../../../rm/common/errors.ts';
import { createInProcessClient } from '../../../../rm/common/in-process-client.ts';
import { reply, route, type Handlers } from '../../../../rm/common/route.ts';

const routes = {
  echo: route({
    method: 'POST',
    path: '/echo/:id',
    params: z.object({ id: z.string() }),
    query: z.object({ n: z.coerce.number().default(1) }),
    body: z.object({ text: z.string(), times: z.number().int().default(2) }),
    response: z.object({ id: z.string(), n: z.number(), out: z.string(), caller: z.string() }),
    status: 200,
    semantics: 'idempotent',
  }),
  gone: route({ method: 'GET', path: '/gone', response: z.object({}), status: 200, semantics: 'safe' }),
  broken: route({ method: 'GET', path: '/broken', response: z.object({ ok: z.boolean() }), status: 200, semantics: 'safe' }),
};

const handlers: Handlers<typeof routes, string> = {
  echo: ({ params, query, body, caller }) => ({ id: params.id, n: query.n, out: body.text.repeat(body.times), caller, extra: 'dropped' }),
  // A handler may answer with an error status of its own (the type only names the success body).
  gone: () => reply(404, { RemoteException: { exception: 'NotFoundException', message: 'no such thing', javaClassName: '' } } as unknown as Record<string, never>),
  broken: () => ({ ok: 'yes' }) as unknown as { ok: boolean },
};

describe('createInProcessClient', () => {
  const client = createInProcessClient(routes, handlers, { caller: () => 'alice' });

  it('passes validated input with the schemas defaults and strips what the response schema does not name', async () => {
    // The query goes through as a string, as over HTTP, so a coercing schema sees what the server would.
    const out = await client.echo({ params: { id: 'a/b' }, query: { n: 3 }, body: { text: 'x' } as { text: string; times: number } });
    expect(out).toEqual({ id: 'a/b', n: 3, out: 'xx', caller: 'alice' });
  });

  it('refuses a request its schema refuses, as the server answers 400', async () => {
    const err = await client.echo({ params: { id: '1' }, body: { text: 5 } as unknown as { text: string; times: number } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WeftError);
    expect((err as WeftError).kind).toBe('BadRequest');
  });

  it('turns an error reply into the WeftError the HTTP client would throw', async () => {
    await expect(client.gone({})).rejects.toMatchObject({ kind: 'NotFound', message: 'no such thing' });
  });

  it('rejects a response its schema does not match', async () => {
    await expect(client.broken({})).rejects.toThrow(/unexpected response from GET \/broken/);
  });

  it('resolves the caller on every call, so a refused credential fails the call', async () => {
    const refusing = createInProcessClient(routes, handlers, {
      caller: () => {
        throw new WeftError('InvalidToken', 'bad token');
      },
    });
    await expect(refusing.gone({})).rejects.toMatchObject({ kind: 'InvalidToken' });
  });
});
