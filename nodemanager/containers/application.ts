/**
 * An application as one NM sees it (YARN's ApplicationImpl, reduced): who owns it, which of its
 * containers ran here, and whether the RM has told us it finished.
 */
export const NmApplicationState = {
  NEW: 'NEW',
  INITING: 'INITING',
  RUNNING: 'RUNNING',
  FINISHING_CONTAINERS_WAIT: 'FINISHING_CONTAINERS_WAIT',
  APPLICATION_RESOURCES_CLEANINGUP: 'APPLICATION_RESOURCES_CLEANINGUP',
  FINISHED: 'FINISHED',
} as const;
export type NmApplicationState = (typeof NmApplicationState)[keyof typeof NmApplicationState];

export class NmApplication {
  readonly id: string;
  readonly user: string;
  state: NmApplicationState = NmApplicationState.RUNNING;
  readonly containerIds = new Set<string>();

  constructor(id: string, user: string) {
    this.id = id;
    this.user = user;
  }

  get finishing(): boolean {
    return this.state !== NmApplicationState.RUNNING && this.state !== NmApplicationState.NEW && this.state !== NmApplicationState.INITING;
  }
}
