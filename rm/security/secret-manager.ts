import { randomBytes } from 'node:crypto';
import type { MasterKey, Resource } from '../protocol/records.ts';
import {
  AMRMTokenIdentifier,
  signToken,
  verifyToken,
  type ContainerTokenIdentifier,
  type NMTokenIdentifier,
} from '../protocol/tokens.ts';
import type { RmStateStore } from '../store/rm-state-store.ts';
import { WeftError } from '../common/errors.ts';

const VERIFIED_TOKENS = 10_000;

interface Key {
  readonly keyId: number;
  readonly bytes: Buffer;
}

/**
 * The RM's three master keys (container tokens, NM tokens, AMRM tokens), kept in the state store
 * so that tokens issued before a restart still verify after it.
 */
export class RmSecretManager {
  private readonly containerKey: Key;
  private readonly nmKey: Key;
  private readonly amrmKey: Key;
  /**
   * AMRM tokens already verified, as an RPC connection authenticates once and not every call:
   * an AM heartbeats every second with the same token. Bounded; a full cache starts over.
   */
  private readonly verified = new Map<string, string>();

  constructor(store: RmStateStore) {
    this.containerKey = loadKey(store, 'container-token-key');
    this.nmKey = loadKey(store, 'nm-token-key');
    this.amrmKey = loadKey(store, 'amrm-token-key');
  }

  containerTokenMasterKey(): MasterKey {
    return { keyId: this.containerKey.keyId, bytes: this.containerKey.bytes.toString('base64') };
  }

  nmTokenMasterKey(): MasterKey {
    return { keyId: this.nmKey.keyId, bytes: this.nmKey.bytes.toString('base64') };
  }

  createContainerToken(id: Omit<ContainerTokenIdentifier, 'masterKeyId'>): string {
    return signToken({ ...id, masterKeyId: this.containerKey.keyId } satisfies ContainerTokenIdentifier, this.containerKey.bytes);
  }

  createNMToken(applicationAttemptId: string, nodeId: string, appSubmitter: string): string {
    return signToken({ applicationAttemptId, nodeId, appSubmitter, keyId: this.nmKey.keyId } satisfies NMTokenIdentifier, this.nmKey.bytes);
  }

  createAMRMToken(applicationAttemptId: string): string {
    return signToken({ applicationAttemptId, keyId: this.amrmKey.keyId } satisfies AMRMTokenIdentifier, this.amrmKey.bytes);
  }

  /** Returns the attempt an AMRM token was issued to, or throws InvalidToken. */
  verifyAMRMToken(token: string | undefined): string {
    if (!token) throw new WeftError('InvalidToken', 'Missing AMRMToken: ApplicationMasterProtocol calls need "Authorization: Bearer <AMRMToken>"');
    const known = this.verified.get(token);
    if (known !== undefined) return known;
    const check = verifyToken(token, this.amrmKey.bytes, AMRMTokenIdentifier);
    if (!check.ok) throw new WeftError('InvalidToken', `Invalid AMRMToken: ${check.reason}`);
    if (this.verified.size >= VERIFIED_TOKENS) this.verified.clear();
    this.verified.set(token, check.identifier.applicationAttemptId);
    return check.identifier.applicationAttemptId;
  }
}

function loadKey(store: RmStateStore, name: string): Key {
  const stored = store.getMeta(name);
  if (stored) {
    const parsed = JSON.parse(stored) as { keyId: number; bytes: string };
    return { keyId: parsed.keyId, bytes: Buffer.from(parsed.bytes, 'base64') };
  }
  const key = { keyId: randomBytes(4).readUInt32BE() & 0x7fffffff, bytes: randomBytes(32) };
  store.setMeta(name, JSON.stringify({ keyId: key.keyId, bytes: key.bytes.toString('base64') }));
  return key;
}

export type { Resource };
