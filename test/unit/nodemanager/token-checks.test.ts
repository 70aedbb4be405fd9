import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signToken, type ContainerTokenIdentifier, type TokenCheck } from '../../../rm/protocol/tokens.ts';
import { KeyRing } from '../../../nodemanager/security/nm-secret-keys.ts';
import { checkContainerToken, checkNmToken } from '../../../nodemanager/security/token-checks.ts';

const key = randomBytes(32);
const reasonOf = (check: TokenCheck<unknown>): string => (check.ok ? 'accepted' : check.reason);
const NOW = 1_700_000_000_000;
const NODE = 'host1:8042';
const ring = (): KeyRing => {
  const r = new KeyRing();
  r.set({ keyId: 3, bytes: key.toString('base64') });
  return r;
};
const identifier = (over: Partial<ContainerTokenIdentifier> = {}): ContainerTokenIdentifier => ({
  containerId: 'container_1700000000000_0001_01_000002',
  nodeId: NODE,
  appSubmitter: 'alice',
  resource: { memory: 512, vCores: 1 },
  expiryTimeStamp: NOW + 60_000,
  masterKeyId: 3,
  rmIdentifier: 1,
  priority: 0,
  creationTime: NOW,
  ...over,
});

describe('container token checks', () => {
  it('accepts a token the RM signed for this node', () => {
    const check = checkContainerToken(signToken(identifier(), key), ring(), NODE, NOW);
    expect(check).toMatchObject({ ok: true, identifier: { containerId: 'container_1700000000000_0001_01_000002' } });
  });

  it('refuses a forged signature, a tampered identifier, an unknown key and garbage', () => {
    const forged = signToken(identifier(), randomBytes(32));
    expect(reasonOf(checkContainerToken(forged, ring(), NODE, NOW))).toMatch(/signature/);
    const [, sig] = signToken(identifier(), key).split('.');
    const tampered = `${Buffer.from(JSON.stringify(identifier({ resource: { memory: 99999, vCores: 1 } }))).toString('base64url')}.${sig}`;
    expect(reasonOf(checkContainerToken(tampered, ring(), NODE, NOW))).toMatch(/signature/);
    expect(reasonOf(checkContainerToken(signToken(identifier({ masterKeyId: 9 }), key), ring(), NODE, NOW))).toMatch(/unknown master key 9/);
    expect(checkContainerToken('garbage', ring(), NODE, NOW).ok).toBe(false);
    expect(reasonOf(checkContainerToken(signToken(identifier(), key), new KeyRing(), NODE, NOW))).toMatch(/not registered/);
  });

  it('refuses a token for another node or past its expiry', () => {
    expect(reasonOf(checkContainerToken(signToken(identifier({ nodeId: 'host2:8042' }), key), ring(), NODE, NOW))).toMatch(/issued for node host2:8042/);
    expect(reasonOf(checkContainerToken(signToken(identifier({ expiryTimeStamp: NOW - 1 }), key), ring(), NODE, NOW))).toMatch(/expired/);
  });

  it('refuses ids and users that could escape the NM directories', () => {
    expect(checkContainerToken(signToken(identifier({ containerId: '../../etc' }), key), ring(), NODE, NOW).ok).toBe(false);
    expect(checkContainerToken(signToken(identifier({ appSubmitter: '../root' }), key), ring(), NODE, NOW).ok).toBe(false);
  });

  it('keeps accepting tokens signed with the previous key after a roll', () => {
    const r = ring();
    r.set({ keyId: 4, bytes: randomBytes(32).toString('base64') });
    expect(checkContainerToken(signToken(identifier(), key), r, NODE, NOW).ok).toBe(true);
  });

  it('checks NM tokens: signature and node', () => {
    const nm = { applicationAttemptId: 'appattempt_1700000000000_0001_000001', nodeId: NODE, appSubmitter: 'alice', keyId: 3 };
    expect(checkNmToken(signToken(nm, key), ring(), NODE).ok).toBe(true);
    expect(checkNmToken(signToken(nm, randomBytes(32)), ring(), NODE).ok).toBe(false);
    expect(reasonOf(checkNmToken(signToken({ ...nm, nodeId: 'other:1' }, key), ring(), NODE))).toMatch(/not valid for current node manager/);
  });
});
