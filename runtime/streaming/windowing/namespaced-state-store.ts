import { DefaultKeyedStateStore, type NamespacedHandle } from '../../state/default-keyed-state-store.ts';
import type { HeapKeyedStateBackend } from '../../state/heap-keyed-state-backend.ts';
import type { StateKind } from '../../state/state-descriptor.ts';
import type { KeyedStateStore } from './window-functions.ts';

/**
 * A KeyedStateStore over one backend whose states are all scoped to one namespace at a time (the
 * window being processed, or none for global state), as Flink's WindowOperator per-window and global
 * state stores are. Handles are made once per kind and name and re-scoped on each call, so asking
 * per firing allocates nothing. `guard` may refuse state altogether (merging windows).
 */
export class NamespacedStateStore extends DefaultKeyedStateStore implements KeyedStateStore {
  private readonly namespace: () => unknown;
  private readonly guard: (() => void) | undefined;

  constructor(backend: HeapKeyedStateBackend, namespace: () => unknown, guard?: () => void) {
    super(backend);
    this.namespace = namespace;
    this.guard = guard;
  }

  protected override handle<H extends NamespacedHandle>(descriptor: { readonly kind: StateKind; readonly name: string }, create: (backend: HeapKeyedStateBackend) => H): H {
    this.guard?.();
    const handle = super.handle(descriptor, create);
    handle.setCurrentNamespace(this.namespace());
    return handle;
  }
}
