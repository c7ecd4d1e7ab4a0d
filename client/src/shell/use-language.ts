/**
 * The page's language: `?lang=`, else the last one chosen, else Chinese; `L` switches it. Every page
 * provides it through `I18nContext` at its root.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { initialLang, rememberLang, translator, type I18n, type Lang } from '../i18n/i18n.ts';
import { useShortcut } from './use-shortcut.ts';

export function useLanguage(): I18n {
  const [lang, setLang] = useState<Lang>(initialLang);
  const toggle = useCallback(() => setLang((l) => (l === 'zh-CN' ? 'en' : 'zh-CN')), []);
  useEffect(() => rememberLang(lang), [lang]);
  useShortcut(['l', 'L'], toggle);
  return useMemo(() => ({ lang, t: translator(lang), toggle }), [lang, toggle]);
}
