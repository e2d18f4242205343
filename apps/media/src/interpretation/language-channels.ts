import { EventEmitter } from 'events';

/**
 * A room's interpretation channels. A language is available while an interpreter's
 * microphone speaks on it, and for `lingerMs` after its last one closed (an interpreter
 * whose connection dropped may come back, as the Gcore document says of its 30 seconds);
 * then it goes, and `expired` names it so its listeners return to the original audio.
 */
export class LanguageChannels extends EventEmitter<{
  change: [languages: string[]];
  expired: [language: string];
}> {
  readonly #producers = new Map<string, string>();
  readonly #lingering = new Map<string, NodeJS.Timeout>();

  constructor(private readonly lingerMs: number) {
    super();
  }

  get languages(): string[] {
    return [...new Set([...this.#producers.values(), ...this.#lingering.keys()])].sort();
  }

  has(language: string): boolean {
    return this.languages.includes(language);
  }

  add(producerId: string, language: string): void {
    const before = this.languages.join();
    this.#producers.set(producerId, language);
    clearTimeout(this.#lingering.get(language));
    this.#lingering.delete(language);
    if (this.languages.join() !== before) this.emit('change', this.languages);
  }

  remove(producerId: string): void {
    const language = this.#producers.get(producerId);
    if (language === undefined) return;
    this.#producers.delete(producerId);
    if ([...this.#producers.values()].includes(language)) return;
    const timer = setTimeout(() => {
      this.#lingering.delete(language);
      this.emit('change', this.languages);
      this.emit('expired', language);
    }, this.lingerMs);
    timer.unref();
    this.#lingering.set(language, timer);
  }

  close(): void {
    for (const timer of this.#lingering.values()) clearTimeout(timer);
    this.#lingering.clear();
    this.#producers.clear();
  }
}
