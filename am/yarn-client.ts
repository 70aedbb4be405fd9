import type { Clock } from '../rm/common/clock.ts';
import { isFinalApplicationState } from '../rm/protocol/records.ts';
import type { AppInfo, ApplicationClientProtocol } from '../rm/protocol/client-rm.ts';

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

export interface WaitOptions {
  readonly intervalMs?: number;
  /** Called whenever the state changes, e.g. to print progress. */
  readonly onStateChange?: (app: AppInfo) => void;
  /** Called on every poll while the app is not final (what an attached client reports meanwhile). */
  readonly onPoll?: () => Promise<void>;
}

/** Polls the app report (every 200 ms by default) until the app reaches a final state. */
export async function waitForFinalState(rm: ApplicationClientProtocol, applicationId: string, clock: Clock, options: WaitOptions = {}): Promise<AppInfo> {
  let last: string | undefined;
  for (;;) {
    const { app } = await rm.app({ params: { appid: applicationId }, body: undefined });
    if (app.state !== last) {
      last = app.state;
      options.onStateChange?.(app);
    }
    if (isFinalApplicationState(app.state)) return app;
    await options.onPoll?.();
    await new Promise<void>((resolve) => clock.schedule(options.intervalMs ?? 200, resolve));
  }
}
