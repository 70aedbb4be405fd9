import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { WeftError } from '../../../../rm/common/errors.ts';
import { AMRMTokenIdentifier, ContainerTokenIdentifier, NMTokenIdentifier, peekToken, signToken, verifyToken } from '../../../../rm/protocol/tokens.ts';
import { RmSecretManager } from '../../../../rm/security/secret-manager.ts';
import { SqliteRmStateStore } from '../../../../rm/store/rm-state-store.ts';

const KEY = randomBytes(32);
const ATTEMPT = 'appattempt_1700000000000_0001_000001';
const id = { applicationAttemptId: ATTEMPT, keyId: 7 };

function failure(check: ReturnType<typeof verifyToken>): string {
  if (check.ok) throw new Error('expected the token to be refused');
  return check.reason;
}

function thrownBy(fn: () => unknown): WeftError {
  try {
    fn();
  } catch (err) {
    if (err instanceof WeftError) return err;
    throw err;
  }
  throw new Error('expected an error');
}

describe('signToken / verifyToken', () => {
  it('round-trips an identifier', () => {
    const token = signToken(id, KEY);
    expect(verifyToken(token, KEY, AMRMTokenIdentifier)).toEqual({ ok: true, identifier: id });
    expect(peekToken(token, AMRMTokenIdentifier)).toEqual(id);
  });

  it('refuses a token whose identifier was changed', () => {
    const token = signToken(id, KEY);
    const signature = token.split('.')[1] ?? '';
    const forged = Buffer.from(JSON.stringify({ ...id, applicationAttemptId: 'appattempt_1700000000000_0002_000001' })).toString('base64url');
    expect(failure(verifyToken(`${forged}.${signature}`, KEY, AMRMTokenIdentifier))).toMatch(/signature does not match/);
  });

  it('refuses a token whose signature was changed', () => {
    const token = signToken(id, KEY);
    const [ident = '', signature = ''] = token.split('.');
    const bytes = Buffer.from(signature, 'base64url');
    bytes[0] = (bytes[0] ?? 0) ^ 0xff;
    expect(failure(verifyToken(`${ident}.${bytes.toString('base64url')}`, KEY, AMRMTokenIdentifier))).toMatch(/signature does not match/);
    expect(failure(verifyToken(`${ident}.`, KEY, AMRMTokenIdentifier))).toMatch(/signature does not match/);
  });

  it('refuses a token signed with another key', () => {
    expect(failure(verifyToken(signToken(id, randomBytes(32)), KEY, AMRMTokenIdentifier))).toMatch(/not issued by this ResourceManager/);
  });

  it('refuses malformed tokens and identifiers of the wrong shape', () => {
    expect(failure(verifyToken('no-dot-here', KEY, AMRMTokenIdentifier))).toBe('malformed token');
    expect(failure(verifyToken('.abc', KEY, AMRMTokenIdentifier))).toBe('malformed token');
    // Correctly signed, but not an AMRM token identifier.
    expect(failure(verifyToken(signToken({ something: 'else' }, KEY), KEY, AMRMTokenIdentifier))).toBe('malformed token identifier');
  });
});

describe('RmSecretManager', () => {
  const stores: SqliteRmStateStore[] = [];
  const store = (): SqliteRmStateStore => {
    const s = new SqliteRmStateStore(':memory:');
    stores.push(s);
    return s;
  };
  afterEach(() => {
    for (const s of stores.splice(0)) s.close();
  });

  it('keeps its master keys in the store: a token from one instance verifies with the next', () => {
    const shared = store();
    const first = new RmSecretManager(shared);
    const token = first.createAMRMToken(ATTEMPT);
    const second = new RmSecretManager(shared);
    expect(second.verifyAMRMToken(token)).toBe(ATTEMPT);
    expect(second.containerTokenMasterKey()).toEqual(first.containerTokenMasterKey());
    expect(second.nmTokenMasterKey()).toEqual(first.nmTokenMasterKey());
  });

  it('does not accept tokens of an RM with another store', () => {
    const token = new RmSecretManager(store()).createAMRMToken(ATTEMPT);
    const err = thrownBy(() => new RmSecretManager(store()).verifyAMRMToken(token));
    expect(err.kind).toBe('InvalidToken');
    expect(err.message).toMatch(/^Invalid AMRMToken: token signature does not match/);
  });

  it('throws InvalidToken for a missing or invalid AMRM token', () => {
    const sm = new RmSecretManager(store());
    for (const bad of [undefined, '']) {
      const err = thrownBy(() => sm.verifyAMRMToken(bad));
      expect(err.kind).toBe('InvalidToken');
      expect(err.status).toBe(401);
      expect(err.message).toMatch(/^Missing AMRMToken/);
    }
    const err = thrownBy(() => sm.verifyAMRMToken('garbage'));
    expect(err.kind).toBe('InvalidToken');
    expect(err.message).toMatch(/^Invalid AMRMToken: /);
  });

  it('uses separate keys: an NM token is not an AMRM token', () => {
    const sm = new RmSecretManager(store());
    const nmToken = sm.createNMToken(ATTEMPT, 'host:1', 'alice');
    expect(thrownBy(() => sm.verifyAMRMToken(nmToken)).kind).toBe('InvalidToken');
    const nmKey = Buffer.from(sm.nmTokenMasterKey().bytes, 'base64');
    expect(verifyToken(nmToken, nmKey, NMTokenIdentifier)).toEqual({
      ok: true,
      identifier: { applicationAttemptId: ATTEMPT, nodeId: 'host:1', appSubmitter: 'alice', keyId: sm.nmTokenMasterKey().keyId },
    });
  });

  it('signs container tokens an NM can check with the container-token master key', () => {
    const sm = new RmSecretManager(store());
    const token = sm.createContainerToken({
      containerId: 'container_1700000000000_0001_01_000002',
      nodeId: 'host:1',
      appSubmitter: 'alice',
      resource: { memory: 1024, vCores: 1 },
      expiryTimeStamp: 2,
      rmIdentifier: 1,
      priority: 0,
      creationTime: 1,
    });
    const master = sm.containerTokenMasterKey();
    const check = verifyToken(token, Buffer.from(master.bytes, 'base64'), ContainerTokenIdentifier);
    expect(check.ok && check.identifier.masterKeyId).toBe(master.keyId);
    expect(verifyToken(token, Buffer.from(sm.nmTokenMasterKey().bytes, 'base64'), ContainerTokenIdentifier).ok).toBe(false);
  });
});
