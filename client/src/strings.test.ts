/**
 * Every UI string table, checked as a translator would: both languages have exactly the same keys,
 * no text is empty, each translation keeps the placeholders of the original, and the English table
 * holds no Chinese (the language switch and the product's name aside).
 * A key added in one language only fails here by name, as well as in the typecheck.
 */
import { describe, expect, it } from 'vitest';
import { tables as common } from './i18n.ts';
import { tables as desk } from './views/planner-desk/strings.ts';
import { tables as planner } from './views/planner/strings.ts';
import { tables as responder } from './views/responder/strings.ts';
import { tables as wall } from './views/wall-display/strings.ts';

type Tables = Record<'zh-CN' | 'en', Record<string, string>>;
const TABLES: Record<string, Tables> = { common, planner, desk, responder, wall };

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
