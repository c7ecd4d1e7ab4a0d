/**
 * The planner desk's own UI strings, Simplified Chinese (default) and English, in the shape of
 * features/parcels/strings.ts: a table per language typed against the Chinese one, `{name}`
 * placeholders filled from `params`. The panels it reuses bring their own strings.
 */
import { useMemo } from 'react';
import { useI18n, type Lang } from '../../i18n/i18n.ts';
import { registerStrings } from '../../i18n/i18next.ts';

const zh = {
  'desk.title': '规划工作台',
  'desk.layers': '地图图层',
  'desk.layer.risk': '五色风险图',
  'desk.layer.equity': '服务均衡热力图',
  'desk.layerHint': '切换地图图层（E）',
  'desk.exportCsv': '导出表格（CSV）',
  'desk.exportPng': '导出地图（PNG）',
  'desk.exporting': '正在导出…',
  'desk.exportFailed': '导出失败：{message}',
  'table.heading': '区域对比',
  'table.caption': '各区人口、风险、未结事件与设施可达性；点击列名排序',
  'table.kind': '可达性设施',
  'table.loading': '正在加载区域数据…',
  'table.empty': '尚无区域数据',
  'col.code': '区划代码',
  'col.name': '区域',
  'col.population': '常住人口',
  'col.risk': '风险等级与指数',
  'col.level': '风险等级',
  'col.score': '风险指数（每万人）',
  'col.open': '未结事件',
  'col.access': '平均可达性：{kind}（每千人容量）',
  'col.zero': '无可达人口占比（%）',
  'col.silent': '沉默区域',
  'value.yes': '是',
  'value.no': '否',
  'value.none': '—',
  'value.silent': '沉默',
} as const;

export type DeskKey = keyof typeof zh;

const en: Record<DeskKey, string> = {
  'desk.title': 'Planner desk',
  'desk.layers': 'Map layer',
  'desk.layer.risk': 'Five-colour risk',
  'desk.layer.equity': 'Equity heatmap',
  'desk.layerHint': 'Switch the map layer (E)',
  'desk.exportCsv': 'Export table (CSV)',
  'desk.exportPng': 'Export map (PNG)',
  'desk.exporting': 'Exporting…',
  'desk.exportFailed': 'Export failed: {message}',
  'table.heading': 'District comparison',
  'table.caption': 'Population, risk, open incidents and access to facilities per district; click a column name to sort',
  'table.kind': 'Access to',
  'table.loading': 'Loading district data…',
  'table.empty': 'No districts yet',
  'col.code': 'Code',
  'col.name': 'District',
  'col.population': 'Population',
  'col.risk': 'Risk level and score',
  'col.level': 'Risk level',
  'col.score': 'Risk score (per 10,000)',
  'col.open': 'Open incidents',
  'col.access': 'Mean access: {kind} (capacity per 1,000)',
  'col.zero': 'Zero-access share (%)',
  'col.silent': 'Silent district',
  'value.yes': 'yes',
  'value.no': 'no',
  'value.none': '—',
  'value.silent': 'silent',
};

export const tables: Record<Lang, Record<DeskKey, string>> = { 'zh-CN': zh, en };
/** The tables as i18next namespace `desk`. */
const deskStrings = registerStrings('desk', tables);

export type DeskTranslate = (key: DeskKey, params?: Record<string, string | number>) => string;

/** The desk's translator for one language. */
export function deskText(lang: Lang): DeskTranslate {
  return deskStrings(lang);
}

/** The desk's translator and the page's language, following the language switch. */
export function useDeskText(): { t: DeskTranslate; lang: Lang } {
  const { lang } = useI18n();
  return useMemo(() => ({ t: deskText(lang), lang }), [lang]);
}
