import type { MasterKey } from '../../rm/protocol/records.ts';

/**
 * The RM's master keys as this NM knows them (YARN's NMContainerTokenSecretManager and
 * NMTokenSecretManagerInNM). The previous key is kept after a roll so tokens signed just before
 * it stay valid, as YARN does.
 */
export class KeyRing {
  private current: { keyId: number; bytes: Buffer } | undefined;
  private previous: { keyId: number; bytes: Buffer } | undefined;

  set(key: MasterKey): void {
    if (this.current?.keyId === key.keyId) return;
    this.previous = this.current;
    this.current = { keyId: key.keyId, bytes: Buffer.from(key.bytes, 'base64') };
  }

  get(keyId: number): Buffer | undefined {
    if (this.current?.keyId === keyId) return this.current.bytes;
    if (this.previous?.keyId === keyId) return this.previous.bytes;
    return undefined;
  }

  get currentKeyId(): number | undefined {
    return this.current?.keyId;
  }

  get known(): boolean {
    return this.current !== undefined;
  }
}

export class NmSecretKeys {
  readonly containerTokens = new KeyRing();
  readonly nmTokens = new KeyRing();
}
