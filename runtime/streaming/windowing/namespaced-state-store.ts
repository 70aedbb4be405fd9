import type { HeapKeyedStateBackend } from '../../state/heap-keyed-state-backend.ts';
import type { AggregatingState, ListState, MapState, ReducingState, ValueState } from '../../state/keyed-state.ts';
import type { AggregatingStateDescriptor, ListStateDescriptor, MapStateDescriptor, ReducingStateDescriptor, StateKind, ValueStateDescriptor } from '../../state/state-descriptor.ts';
import type { KeyedStateStore } from './window-functions.ts';

interface NamespacedHandle {
  setCurrentNamespace(namespace: unknown): void;
}

/**
 * A KeyedStateStore over one backend whose states are all scoped to one namespace at a time (the
 * window being processed, or none for global state), as Flink's WindowOperator per-window and global
 * state stores are. Handles are made once per kind and name and re-scoped on each call, so asking
 * per firing allocates nothing. `guard` may refuse state altogether (merging windows).
 */
export class NamespacedStateStore implements KeyedStateStore {
  private readonly backend: HeapKeyedStateBackend;
  private readonly namespace: () => unknown;
  private readonly guard: (() => void) | undefined;
  private readonly handles = new Map<string, NamespacedHandle>();

  constructor(backend: HeapKeyedStateBackend, namespace: () => unknown, guard?: () => void) {
    this.backend = backend;
    this.namespace = namespace;
    this.guard = guard;
  }

  getState<S>(descriptor: ValueStateDescriptor<S>): ValueState<S> {
    return this.handle(descriptor, (b) => b.getState(descriptor));
  }

  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T> {
    return this.handle(descriptor, (b) => b.getListState(descriptor));
  }

  getReducingState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T> {
    return this.handle(descriptor, (b) => b.getReducingState(descriptor));
  }

  getAggregatingState<IN, ACC, OUT>(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>): AggregatingState<IN, OUT> {
    return this.handle(descriptor, (b) => b.getAggregatingState(descriptor));
  }

  getMapState<UK, UV>(descriptor: MapStateDescriptor<UK, UV>): MapState<UK, UV> {
    return this.handle(descriptor, (b) => b.getMapState(descriptor));
  }

  private handle<H extends NamespacedHandle>(descriptor: { readonly kind: StateKind; readonly name: string }, create: (backend: HeapKeyedStateBackend) => H): H {
    this.guard?.();
    const id = `${descriptor.kind}/${descriptor.name}`;
    let handle = this.handles.get(id) as H | undefined;
    if (handle === undefined) {
      handle = create(this.backend);
      this.handles.set(id, handle);
    }
    handle.setCurrentNamespace(this.namespace());
    return handle;
  }
}
