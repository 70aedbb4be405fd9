import type { Clock } from '../rm/common/clock.ts';
import { isFinalApplicationState } from '../rm/protocol/records.ts';
import type { ApplicationClientProtocol } from '../rm/protocol/client-rm.ts';

export interface KillOptions {
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
}

/**
 * YarnClient.killApplication: PUT state KILLED and repeat until the RM answers a final state (it
 * answers 202 with the current state while the kill is in progress). Returns that state; throws
 * when the application is still not final after `timeoutMs` (60 s).
 */
export async function killApplication(rm: ApplicationClientProtocol, clock: Clock, applicationId: string, options: KillOptions = {}): Promise<string> {
  const deadline = clock.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const { state } = await rm.updateAppState({ params: { appid: applicationId }, body: { state: 'KILLED' } });
    if (isFinalApplicationState(state)) return state;
    if (clock.now() >= deadline) throw new Error(`application ${applicationId} is still ${state} after asking to kill it`);
    await new Promise<void>((resolve) => clock.schedule(options.intervalMs ?? 200, resolve));
  }
}
