type Listener = (...args: unknown[]) => void;

/** A small typed event emitter for the browser (Node's is not there). */
export class Emitter<Events extends Record<string, unknown[]>> {
  readonly #listeners = new Map<keyof Events, Set<Listener>>();

  on<E extends keyof Events>(event: E, listener: (...args: Events[E]) => void): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    const stored = listener as unknown as Listener;
    set.add(stored);
    return () => set.delete(stored);
  }

  emit<E extends keyof Events>(event: E, ...args: Events[E]): void {
    for (const listener of this.#listeners.get(event) ?? [])
      try {
        listener(...args);
      } catch (error) {
        // One broken listener must not stop the others (or the call).
        console.error(`listener of ${String(event)} failed`, error);
      }
  }
}
