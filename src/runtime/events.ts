import { getOrCreate } from "./collections.ts";

/**
 * In-process notices between modules of one process that do not belong on the transport, e.g. the writer
 * telling a replay command that the end of its input is durable.
 */
export interface RuntimeEventMap {
  /** Everything before the end marker of `source` on `partition` is durable in the store. */
  "input-durable": { source: string; partition: number };
}

type Listener<K extends keyof RuntimeEventMap> = (event: RuntimeEventMap[K]) => void;

export class RuntimeEvents {
  readonly #listeners = new Map<keyof RuntimeEventMap, Set<Listener<never>>>();

  on<K extends keyof RuntimeEventMap>(name: K, listener: Listener<K>): () => void {
    const set = getOrCreate(this.#listeners, name, () => new Set());
    set.add(listener as Listener<never>);
    return () => set.delete(listener as Listener<never>);
  }

  emit<K extends keyof RuntimeEventMap>(name: K, event: RuntimeEventMap[K]): void {
    for (const listener of this.#listeners.get(name) ?? []) (listener as Listener<K>)(event);
  }
}
