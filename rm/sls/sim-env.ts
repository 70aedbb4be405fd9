import type { AmSimulator } from './am-simulator.ts';
import type { InProcessRm } from './in-process-rm.ts';
import type { NmSimulator } from './nm-simulator.ts';
import type { SlsConfig } from './sls-config.ts';
import type { VirtualClock } from './virtual-clock.ts';

/** What the simulated AMs share with the runner: the clock, the RM, the simulated NMs. */
export interface SimEnv {
  readonly clock: VirtualClock;
  readonly rm: InProcessRm;
  readonly config: SlsConfig;
  /** The simulation start on the virtual clock; heartbeats run on a grid from here. */
  readonly origin: number;
  /** Skip heartbeats that carry no news (see AmSimulator); false beats every interval as SLS does. */
  readonly skipIdle: boolean;
  /** With skipIdle, an idle AM still calls allocate this often, for the RM's AM liveness monitor. */
  readonly amKeepAliveMs: number;
  nm(nodeId: string): NmSimulator | undefined;
  /** Simulated milliseconds since the start. */
  simTime(): number;
  /** The AM's application id is known: route the RM's launches and change events to it. */
  registerApp(appId: string, am: AmSimulator): void;
  jobEnded(am: AmSimulator): void;
  /** A simulated AM failed for a reason that is not the RM's answer (a simulator bug): logged, the app ends FAILED. */
  crashed(am: AmSimulator, err: unknown): void;
  /** Work that will happen by itself as time passes (a timer, a container with a set duration) began (+1) or ended (-1). */
  work(delta: 1 | -1): void;
}
