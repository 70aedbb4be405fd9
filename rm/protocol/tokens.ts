import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { Resource } from './records.ts';

/**
 * Tokens the RM signs (YarnApplicationSecurity.md): an identifier, serialized as base64url JSON,
 * followed by an HMAC-SHA256 over it with a master key. NodeManagers learn the container-token
 * master key at registration and check every token before starting or touching a container.
 */
export const ContainerTokenIdentifier = z.object({
  containerId: z.string(),
  nodeId: z.string(),
  appSubmitter: z.string(),
  resource: Resource,
  expiryTimeStamp: z.number(),
  masterKeyId: z.number().int(),
  rmIdentifier: z.number(),
  priority: z.number().int(),
  creationTime: z.number(),
});
export type ContainerTokenIdentifier = z.infer<typeof ContainerTokenIdentifier>;

/** Authenticates an AM to the RM; identifies exactly one application attempt. */
export const AMRMTokenIdentifier = z.object({
  applicationAttemptId: z.string(),
  keyId: z.number().int(),
});
export type AMRMTokenIdentifier = z.infer<typeof AMRMTokenIdentifier>;

/** Authenticates an application attempt to one NodeManager (stop / status of its containers). */
export const NMTokenIdentifier = z.object({
  applicationAttemptId: z.string(),
  nodeId: z.string(),
  appSubmitter: z.string(),
  keyId: z.number().int(),
});
export type NMTokenIdentifier = z.infer<typeof NMTokenIdentifier>;

const b64url = (buf: Buffer): string => buf.toString('base64url');

function mac(identifier: string, key: Buffer): Buffer {
  return createHmac('sha256', key).update(identifier).digest();
}

export function signToken(identifier: object, key: Buffer): string {
  const id = b64url(Buffer.from(JSON.stringify(identifier), 'utf8'));
  return `${id}.${b64url(mac(id, key))}`;
}

export type TokenCheck<T> = { ok: true; identifier: T } | { ok: false; reason: string };

/** Checks the signature first and only then parses the identifier. */
export function verifyToken<T>(token: string, key: Buffer, schema: z.ZodType<T>): TokenCheck<T> {
  const dot = token.indexOf('.');
  if (dot <= 0) return { ok: false, reason: 'malformed token' };
  const id = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = mac(id, key);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'token signature does not match (not issued by this ResourceManager)' };
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(id, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed token identifier' };
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? { ok: true, identifier: parsed.data } : { ok: false, reason: 'malformed token identifier' };
}

/** Reads an identifier without checking it, e.g. to learn which key signed it. */
export function peekToken<T>(token: string, schema: z.ZodType<T>): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The credentials blob carried in ContainerLaunchContext.tokens. */
export const Credentials = z.object({ tokens: z.record(z.string(), z.string()) });
export type Credentials = z.infer<typeof Credentials>;
export const AMRM_TOKEN_ALIAS = 'YARN_AM_RM_TOKEN';

export const encodeCredentials = (c: Credentials): string => Buffer.from(JSON.stringify(c), 'utf8').toString('base64');
export function decodeCredentials(s: string): Credentials | undefined {
  try {
    const parsed = Credentials.safeParse(JSON.parse(Buffer.from(s, 'base64').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
