import type { HeapKeyedStateBackend } from './heap-keyed-state-backend.ts';
import type { AggregatingState, ListState, MapState, ReducingState, ValueState } from './keyed-state.ts';
import type { AggregatingStateDescriptor, ListStateDescriptor, MapStateDescriptor, ReducingStateDescriptor, StateKind, ValueStateDescriptor } from './state-descriptor.ts';

/** What every heap state handle is (Flink's InternalKvState): scoped to one namespace at a time. */
export interface NamespacedHandle {
  setCurrentNamespace(namespace: unknown): void;
}

/**
 * The keyed state a function asks for by descriptor, over one keyed state backend (Flink's
 * DefaultKeyedStateStore). Handles are made once per kind and name, so a function that asks per
 * record (or per window firing) gets the same one and allocates nothing; a subclass may scope each
 * handle it hands out (the window operator's per-window store).
 */
export class DefaultKeyedStateStore {
  private readonly backend: HeapKeyedStateBackend;
  private readonly handles = new Map<string, NamespacedHandle>();

  constructor(backend: HeapKeyedStateBackend) {
    this.backend = backend;
  }

  getState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T> {
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

  /** The handle of `descriptor`'s kind and name, made by `create` on first use. */
  protected handle<H extends NamespacedHandle>(descriptor: { readonly kind: StateKind; readonly name: string }, create: (backend: HeapKeyedStateBackend) => H): H {
    const id = `${descriptor.kind}/${descriptor.name}`;
    let handle = this.handles.get(id) as H | undefined;
    if (handle === undefined) {
      handle = create(this.backend);
      this.handles.set(id, handle);
    }
    return handle;
  }
}
