import type { z } from 'zod';
import { parseContainerId } from '../../rm/protocol/ids.ts';
import {
  ContainerTokenIdentifier,
  NMTokenIdentifier,
  peekToken,
  verifyToken,
  type TokenCheck,
} from '../../rm/protocol/tokens.ts';
import type { KeyRing } from './nm-secret-keys.ts';

/** A user name we are willing to put into a path (`usercache/<user>`). */
const SAFE_USER = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/;

function verifyWithRing<T>(token: string, ring: KeyRing, schema: z.ZodType<T>, keyIdOf: (t: T) => number): TokenCheck<T> {
  if (!ring.known) return { ok: false, reason: 'NodeManager is not registered with a ResourceManager yet; no master key to check the token' };
  const peeked = peekToken(token, schema);
  if (peeked === undefined) return { ok: false, reason: 'malformed token' };
  const key = ring.get(keyIdOf(peeked));
  if (key === undefined) return { ok: false, reason: `token signed with unknown master key ${keyIdOf(peeked)} (not issued by this ResourceManager)` };
  return verifyToken(token, key, schema);
}

/**
 * Checks a container token before anything is started for it (ContainerManagerImpl
 * .verifyAndGetContainerTokenIdentifier): the RM's signature, this node, not expired, and a
 * container id and user that are safe to turn into paths.
 */
export function checkContainerToken(token: string, ring: KeyRing, nodeId: string, now: number): TokenCheck<ContainerTokenIdentifier> {
  const checked = verifyWithRing<ContainerTokenIdentifier>(token, ring, ContainerTokenIdentifier, (t) => t.masterKeyId);
  if (!checked.ok) return checked;
  const id = checked.identifier;
  if (id.nodeId !== nodeId) {
    return { ok: false, reason: `This token was issued for node ${id.nodeId}, not for this node ${nodeId}` };
  }
  if (id.expiryTimeStamp < now) {
    return { ok: false, reason: `This token is expired. current time is ${now} found ${id.expiryTimeStamp}` };
  }
  if (!parseContainerId(id.containerId)) return { ok: false, reason: `malformed container id in token: ${id.containerId}` };
  if (!SAFE_USER.test(id.appSubmitter)) return { ok: false, reason: `user name in token is not allowed: ${id.appSubmitter}` };
  return checked;
}

/** Checks the NMToken a caller presents for stop/status (NMTokenSecretManagerInNM). */
export function checkNmToken(token: string, ring: KeyRing, nodeId: string): TokenCheck<NMTokenIdentifier> {
  const checked = verifyWithRing<NMTokenIdentifier>(token, ring, NMTokenIdentifier, (t) => t.keyId);
  if (!checked.ok) return checked;
  if (checked.identifier.nodeId !== nodeId) {
    return { ok: false, reason: `Given NMToken for application attempt ${checked.identifier.applicationAttemptId} is not valid for current node manager. expected: ${nodeId} found: ${checked.identifier.nodeId}` };
  }
  return checked;
}
