import type { NMToken } from '../rm/protocol/am-rm.ts';

/**
 * NM tokens the RM hands out in allocate responses, one per node (YARN's NMTokenCache). The
 * AMRMClient fills it; the NMClient reads it to authorise stop and status calls. One cache per
 * AM, passed to both through their constructors.
 */
export class NmTokenCache {
  private readonly tokens = new Map<string, string>();

  update(tokens: readonly NMToken[]): void {
    for (const t of tokens) this.tokens.set(t.nodeId, t.token);
  }

  get(nodeId: string): string | undefined {
    return this.tokens.get(nodeId);
  }

  clear(): void {
    this.tokens.clear();
  }
}
