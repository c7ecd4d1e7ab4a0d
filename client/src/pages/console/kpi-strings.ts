/**
 * The console's KPI table strings, Simplified Chinese (default) and English, in their own namespace
 * `kpis` (same shape as the wall's: a table per language typed against the Chinese one).
 */
import { useMemo } from 'react';
import { useI18n, type Lang } from '../../i18n/i18n.ts';
import { registerStrings } from '../../i18n/i18next.ts';

const zh = {
  button: '考核指标',
  buttonHint: '按辖区或部门查看处置时效指标',
  heading: '处置考核指标',
  close: '关闭考核指标',
  'group.region': '按辖区',
  'group.agency': '按部门',
  'period.today': '今日',
  'period.week': '近 7 天',
  export: '导出表格（CSV）',
  loading: '加载中…',
  empty: '所选时段内无事件',
  error: '指标加载失败：{message}',
  note: '时长为中位数（分钟）；按时率为各时钟按时完成的比例。',
  sortHint: '点击列标题排序',
  outsideRegion: '辖区外',
  noAgency: '未派单位',
  'col.name.region': '辖区',
  'col.name.agency': '部门',
  'col.count': '事件数',
  'col.resolved': '办结',
  'col.resolutionRate': '办结率',
  'col.onTimeShare': '按时率',
  'col.overdueOpen': '超时未结',
  'col.backlog': '积压',
  'col.ack': '受理（分）',
  'col.dispatch': '派遣（分）',
  'col.arrive': '到场（分）',
  'col.resolve': '办结（分）',
} as const;

export type KpiKey = keyof typeof zh;

const en: Record<KpiKey, string> = {
  button: 'KPIs',
  buttonHint: 'Response-time KPIs by district or agency',
  heading: 'Response KPIs',
  close: 'Close the KPIs',
  'group.region': 'By district',
  'group.agency': 'By agency',
  'period.today': 'Today',
  'period.week': 'Last 7 days',
  export: 'Export table (CSV)',
  loading: 'Loading…',
  empty: 'No incidents in this period',
  error: 'KPIs failed to load: {message}',
  note: 'Times are medians in minutes; on-time share is the share of clocks stopped in time.',
  sortHint: 'Click a column heading to sort',
  outsideRegion: 'Outside all districts',
  noAgency: 'No unit assigned',
  'col.name.region': 'District',
  'col.name.agency': 'Agency',
  'col.count': 'Incidents',
  'col.resolved': 'Resolved',
  'col.resolutionRate': 'Resolution rate',
  'col.onTimeShare': 'On time',
  'col.overdueOpen': 'Overdue open',
  'col.backlog': 'Backlog',
  'col.ack': 'Ack (min)',
  'col.dispatch': 'Dispatch (min)',
  'col.arrive': 'Arrive (min)',
  'col.resolve': 'Resolve (min)',
};

export const tables: Record<Lang, Record<KpiKey, string>> = { 'zh-CN': zh, en };
const kpiStrings = registerStrings('kpis', tables);

export type KpiTranslate = (key: KpiKey, params?: Record<string, string | number>) => string;

/** The KPI table's translator for one language. */
export function kpiText(lang: Lang): KpiTranslate {
  return kpiStrings(lang);
}

/** The KPI table's translator and the page's language, following the language switch. */
export function useKpiText(): { t: KpiTranslate; lang: Lang } {
  const { lang } = useI18n();
  return useMemo(() => ({ t: kpiText(lang), lang }), [lang]);
}
