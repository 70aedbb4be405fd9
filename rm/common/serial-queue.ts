/**
 * Runs async steps one after another in call order, so a peer sees calls in the order they were
 * made (registration before reports before heartbeats); a failed step does not hold up the rest.
 */
export class SerialQueue {
  private tail: Promise<void> = Promise.resolve();

  run<T>(step: () => Promise<T>): Promise<T> {
    const result = this.tail.then(step);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
