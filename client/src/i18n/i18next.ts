/**
 * Every UI string goes through one i18next instance: each page's string table (zh-CN, the default,
 * and English) is a namespace of it. The tables stay plain typed objects beside their page, so a
 * missing key is a type error there; i18next does the lookup and the `{name}` interpolation, and
 * `missingKeys` lets a test ask it what it cannot find.
 */
import i18next from 'i18next';
import type { Lang } from './i18n.ts';

export const LANGS: readonly Lang[] = ['zh-CN', 'en'];

const instance = i18next.createInstance();
void instance.init({
  lng: 'zh-CN',
  fallbackLng: false,
  supportedLngs: [...LANGS],
  // Synchronous: resources are bundled, and the first render needs its strings.
  initAsync: false,
  load: 'currentOnly',
  resources: {},
  // Keys are flat ('search.label'), never paths or `ns:key`.
  keySeparator: false,
  nsSeparator: false,
  interpolation: {
    // The tables use `{name}`; React escapes what it renders.
    prefix: '{',
    suffix: '}',
    escapeValue: false,
  },
  // A placeholder without a value stays visible rather than vanishing (`value` is the regex match).
  missingInterpolationHandler: (_text: string, value: unknown) => (Array.isArray(value) ? String(value[0]) : ''),
});

export type Params = Record<string, string | number>;
export type TranslateIn<K extends string> = (key: K, params?: Params) => string;

/** Adds a page's tables as namespace `ns`; returns its translator for a language. */
export function registerStrings<K extends string>(ns: string, tables: Readonly<Record<Lang, Readonly<Record<K, string>>>>): (lang: Lang) => TranslateIn<K> {
  for (const lang of LANGS) instance.addResourceBundle(lang, ns, tables[lang], true, true);
  return (lang) => {
    const t = instance.getFixedT(lang, ns);
    return (key, params) => String(t(key, params ?? {}));
  };
}

/** Keys of `ns` that i18next cannot resolve in `lang`. */
export function missingKeys(ns: string, lang: Lang, keys: readonly string[]): string[] {
  return keys.filter((key) => !instance.exists(key, { lng: lang, ns }));
}
