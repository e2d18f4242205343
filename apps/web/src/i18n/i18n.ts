import { catalogues, Locale, LOCALES, MessageKey } from './messages';

/**
 * The language of the page: `lang` from the link when we have it, else the first of
 * the browser's preferred languages we have, else English (Gcore's rule).
 */
export function pickLocale(lang: string | undefined, preferred: readonly string[]): Locale {
  for (const candidate of [lang, ...preferred]) {
    const primary = candidate?.toLowerCase().split('-')[0];
    if (primary && (LOCALES as string[]).includes(primary)) return primary as Locale;
  }
  return 'en';
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as string[]).includes(value);
}

/** Looks texts up in the current locale; `setLocale` switches it at run time (the bridge's setLocale). */
export class Translator {
  #locale: Locale;
  readonly #listeners = new Set<() => void>();

  constructor(locale: Locale) {
    this.#locale = locale;
  }

  get locale(): Locale {
    return this.#locale;
  }

  t(key: MessageKey): string {
    return catalogues[this.#locale][key];
  }

  setLocale(locale: Locale): void {
    if (locale === this.#locale) return;
    this.#locale = locale;
    for (const listener of this.#listeners) listener();
  }

  onChange(listener: () => void): void {
    this.#listeners.add(listener);
  }
}
