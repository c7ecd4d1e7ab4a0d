/** UI strings in Simplified Chinese (default) and English, and a tiny hook to switch between them. */
import { createContext, useContext } from 'react';
import { LEVEL_NAMES, type Category, type RiskLevel, type RiskRuleApplied, type Severity, type Status } from '#contract/index.ts';
import { equityEn, equityZh } from './equity-strings.ts';
import { incidentEn, incidentZh } from './incident-strings.ts';
import { registerStrings } from './i18next.ts';
import { riskEn, riskZh } from './risk-strings.ts';
import { shellEn, shellZh } from './shell-strings.ts';

export type Lang = 'zh-CN' | 'en';

const zh = { ...shellZh, ...incidentZh, ...riskZh, ...equityZh } as const;

export type MessageKey = keyof typeof zh;

/** Typed against the Chinese table, so a key missing in English fails the type check. */
const en: Record<MessageKey, string> = { ...shellEn, ...incidentEn, ...riskEn, ...equityEn };

export const tables: Record<Lang, Record<MessageKey, string>> = { 'zh-CN': zh, en };
/** The tables as i18next namespace `common`. */
const commonStrings = registerStrings('common', tables);

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** Returns the translator for one language; `{name}` placeholders are filled from `params`. */
export function translator(lang: Lang): Translate {
  return commonStrings(lang);
}

export const severityKey = (s: Severity): MessageKey => `severity.${s}`;
export const categoryKey = (c: Category): MessageKey => `category.${c}`;
export const statusKey = (s: Status): MessageKey => `status.${s}`;
export const ruleKey = (r: RiskRuleApplied['rule']): MessageKey => `rule.${r}`;
/** Level names live in the contract (the bulletin prints the same words). */
export const levelName = (level: RiskLevel, lang: Lang): string => LEVEL_NAMES[level][lang];
/** A measure's words in the page's language: answers carry Chinese as `text` and English beside it. */
export const measureText = (measure: { text: string; textEn: string }, lang: Lang): string => (lang === 'en' ? measure.textEn : measure.text);
/** The button that moves an incident to `s`: only steps an operator may take (never `cancelled`). */
export const actionKey = (s: Exclude<Status, 'reported' | 'cancelled'>): MessageKey => `action.${s}`;

const STORAGE_KEY = 'city-brain.lang';

/** `?lang=en` or `?lang=zh-CN` in the address (a wall's URL names its language), else `null`. */
export function langFromQuery(search: string): Lang | null {
  const asked = new URLSearchParams(search).get('lang')?.toLowerCase();
  if (asked === 'en' || asked?.startsWith('en-')) return 'en';
  if (asked === 'zh' || asked === 'zh-cn' || asked === 'zh-hans') return 'zh-CN';
  return null;
}

/** The language the address asks for, else the one remembered from the last visit, else Chinese. */
export function initialLang(): Lang {
  const asked = typeof window === 'undefined' ? null : langFromQuery(window.location.search);
  if (asked) return asked;
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

export function rememberLang(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Private mode or a locked-down wall browser: the choice lasts for this page only.
  }
  document.documentElement.lang = lang;
}

export interface I18n {
  lang: Lang;
  t: Translate;
  toggle: () => void;
}

export const I18nContext = createContext<I18n>({ lang: 'zh-CN', t: translator('zh-CN'), toggle: () => {} });

export const useI18n = (): I18n => useContext(I18nContext);
