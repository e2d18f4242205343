import { pickLocale, Translator } from './i18n';
import { catalogues, en, LOCALES } from './messages';

describe('languages', () => {
  it('offers en, fr, de, lb and ru, each translating every text', () => {
    expect(LOCALES).toEqual(['en', 'fr', 'de', 'lb', 'ru']);
    for (const locale of LOCALES) {
      expect(Object.keys(catalogues[locale]).sort()).toEqual(Object.keys(en).sort());
      for (const text of Object.values(catalogues[locale])) expect(text.trim()).not.toBe('');
    }
    // Translated, not copied: most texts differ from English.
    for (const locale of ['fr', 'de', 'ru'] as const) {
      const same = Object.keys(en).filter(
        (k) => catalogues[locale][k as keyof typeof en] === en[k as keyof typeof en],
      );
      expect(same.length).toBeLessThan(Object.keys(en).length / 5);
    }
  });

  it('takes lang from the link first, then the browser, then English', () => {
    expect(pickLocale('lb', ['de-DE'])).toBe('lb');
    expect(pickLocale(undefined, ['it-IT', 'de-AT', 'fr'])).toBe('de');
    expect(pickLocale('pt', ['ru-RU'])).toBe('ru');
    expect(pickLocale(undefined, ['it'])).toBe('en');
    expect(pickLocale('FR-ca', [])).toBe('fr');
  });

  it('switches language at run time and tells who listens', () => {
    const translator = new Translator('en');
    let changes = 0;
    translator.onChange(() => changes++);
    expect(translator.t('join')).toBe('Join');
    translator.setLocale('ru');
    translator.setLocale('ru');
    expect(translator.t('join')).toBe('Войти');
    expect(changes).toBe(1);
  });
});
