/**
 * A decision's waiting reasons, formatted the first time anyone reads them. A pass over
 * thousands of held applications decides in a few microseconds per application, but formatting
 * every reason would cost more than the decision; most passes' reasons are never read (the next
 * pass replaces them before anyone looks at an application's diagnostics).
 */
export class LazyWaiting implements ReadonlyMap<string, string> {
  private built: Map<string, string> | undefined;
  private build: (() => Map<string, string>) | undefined;

  constructor(build: () => Map<string, string>) {
    this.build = build;
  }

  private get map(): Map<string, string> {
    if (!this.built) {
      this.built = (this.build as () => Map<string, string>)();
      // Lets the pass that made the reasons be collected once they are formatted.
      this.build = undefined;
    }
    return this.built;
  }

  get size(): number {
    return this.map.size;
  }

  get(key: string): string | undefined {
    return this.map.get(key);
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  forEach(callback: (value: string, key: string, map: ReadonlyMap<string, string>) => void, thisArg?: unknown): void {
    this.map.forEach((v, k) => callback.call(thisArg, v, k, this));
  }

  entries(): MapIterator<[string, string]> {
    return this.map.entries();
  }

  keys(): MapIterator<string> {
    return this.map.keys();
  }

  values(): MapIterator<string> {
    return this.map.values();
  }

  [Symbol.iterator](): MapIterator<[string, string]> {
    return this.map[Symbol.iterator]();
  }
}
