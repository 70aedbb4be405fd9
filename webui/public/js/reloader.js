/**
 * Single-flight reloading: `reload()` while a load is running marks it dirty and runs exactly one
 * more load afterwards, so a burst of pushed changes costs at most two requests per resource.
 */
export class Reloader {
  /**
   * @param {(signal: AbortSignal) => Promise<void>} load
   * @param {(err: unknown) => void} onError
   */
  constructor(load, onError) {
    this.load = load;
    this.onError = onError;
    this.running = false;
    this.dirty = false;
    this.controller = new AbortController();
  }

  /** @returns {Promise<void>} */
  async reload() {
    if (this.running) {
      this.dirty = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.dirty = false;
        try {
          await this.load(this.controller.signal);
        } catch (err) {
          if (this.controller.signal.aborted) return;
          this.onError(err);
        }
      } while (this.dirty && !this.controller.signal.aborted);
    } finally {
      this.running = false;
    }
  }

  dispose() {
    this.controller.abort();
  }
}
