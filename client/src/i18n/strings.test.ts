/**
 * Every UI string table, checked as a translator would: both languages have exactly the same keys,
 * no text is empty, each translation keeps the placeholders of the original, and the English table
 * holds no Chinese (the language switch and the product's name aside).
 * A key added in one language only fails here by name, as well as in the typecheck.
 */
import { describe, expect, it } from 'vitest';
import { tables as common } from './i18n.ts';
import { tables as desk } from '../pages/planner/strings.ts';
import { tables as planner } from '../features/parcels/strings.ts';
import { tables as responder } from '../pages/responder/strings.ts';
import { tables as wall } from '../pages/wall/strings.ts';
import { tables as kpis } from '../pages/console/kpi-strings.ts';

type Tables = Record<'zh-CN' | 'en', Record<string, string>>;
const TABLES: Record<string, Tables> = { common, planner, desk, responder, wall, kpis };

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
/**
 * Written in Chinese on purpose in the English table: the button that switches to Chinese (named in
 * the language it offers), and the product's own name, a proper name shown beside "City Brain".
 */
const CHINESE_ON_PURPOSE = new Set(['中文', '城市大脑']);

describe.each(Object.entries(TABLES))('the %s strings', (_name, table) => {
  const zh = table['zh-CN'];
  const en = table.en;

  it('have the same keys in Chinese and English', () => {
    const zhKeys = Object.keys(zh).sort();
    const enKeys = Object.keys(en).sort();
    expect(zhKeys.filter((k) => !(k in en))).toEqual([]);
    expect(enKeys.filter((k) => !(k in zh))).toEqual([]);
    expect(zhKeys.length).toBeGreaterThan(0);
  });

  it('have no empty text', () => {
    for (const [lang, strings] of Object.entries(table)) {
      const empty = Object.entries(strings).filter(([, text]) => text.trim() === '').map(([key]) => `${lang}:${key}`);
      expect(empty).toEqual([]);
    }
  });

  it('keep every placeholder in translation', () => {
    const differing = Object.keys(zh).filter((key) => placeholders(zh[key] ?? '').join() !== placeholders(en[key] ?? '').join());
    expect(differing).toEqual([]);
  });

  it('have no Chinese in English', () => {
    const chinese = Object.entries(en)
      .filter(([, text]) => CJK.test(text) && !CHINESE_ON_PURPOSE.has(text.trim()))
      .map(([key, text]) => `${key}: ${text}`);
    expect(chinese).toEqual([]);
  });
});

describe('i18next', () => {
  it('resolves every key of every table in both languages', async () => {
    const { missingKeys } = await import('./i18next.ts');
    const namespaces: Record<string, Tables> = { common, planner, desk, responder, wall };
    for (const [ns, table] of Object.entries(namespaces)) {
      for (const lang of ['zh-CN', 'en'] as const) expect(missingKeys(ns, lang, Object.keys(table['zh-CN']))).toEqual([]);
    }
    expect(missingKeys('wall', 'en', ['no.such.key'])).toEqual(['no.such.key']);
  });

  it('fills {placeholders} and keeps one that has no value', async () => {
    const { registerStrings } = await import('./i18next.ts');
    const t = registerStrings('test-only', { 'zh-CN': { hello: '你好，{name}（{n} 次）' }, en: { hello: 'Hello {name} ({n} times)' } });
    expect(t('en')('hello', { name: 'Ada', n: 3 })).toBe('Hello Ada (3 times)');
    expect(t('zh-CN')('hello', { name: '王', n: 1 })).toBe('你好，王（1 次）');
    expect(t('en')('hello', { name: '<b>' })).toBe('Hello <b> ({n} times)');
    expect(t('en')('hello')).toBe('Hello {name} ({n} times)');
  });
});
