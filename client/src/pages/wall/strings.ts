/**
 * The wall display's UI strings, Simplified Chinese (default) and English. Same shape as the
 * planner's: a table per language typed against the Chinese one, `{name}` placeholders filled from
 * `params`. Severity and level names come from the shared table and the contract.
 */
import { useMemo } from 'react';
import { useI18n, type Lang } from '../../i18n/i18n.ts';
import { registerStrings } from '../../i18n/i18next.ts';

const zh = {
  brand: '城市大脑',
  title: '城市运行态势',
  loading: '加载中…',
  'error.load': '加载失败：{message}',
  'error.retry': '重试',
  synthetic: '合成演示数据',
  'age.fresh': '数据 {n} 秒前更新',
  'age.waiting': '等待数据…',
  'stale.heading': '数据已中断 {n} 秒',
  'stale.body': '与服务器的连接中断。画面停留在 {time} 的数据，正在自动重连，恢复后自动补齐。',
  'stale.storeHeading': '数据库暂时不可用',
  'stale.storeBody': '服务器无法连接数据库，新数据暂停。画面停留在 {time} 的数据，数据库恢复后自动补齐。',
  'kpi.open': '未结事件',
  'kpi.openTotal': '合计',
  'kpi.atLeast': '至少',
  'kpi.levels': '各风险等级区域',
  'kpi.gini': '医院可达性基尼系数',
  'kpi.giniHint': '0 为完全均衡，1 为极不均衡',
  'kpi.giniNone': '暂无',
  'kpi.clocks': '今日处置时效',
  'kpi.onTime': '按时办结率',
  'kpi.onTimeNone': '暂无',
  'kpi.overdue': '超时未结',
  'ticker.heading': '最新事件',
  'ticker.empty': '暂无事件',
  'ticker.outside': '辖区外',
  'rotate.city': '全市',
  'rotate.touring': '巡览 {n}/{total}',
  'rotate.paused': '巡览已暂停（P 继续）',
  'tour.measures': '应执行措施',
  'map.label': '五色风险地图',
} as const;

export type WallKey = keyof typeof zh;

const en: Record<WallKey, string> = {
  brand: 'City Brain',
  title: 'City operations',
  loading: 'Loading…',
  'error.load': 'Loading failed: {message}',
  'error.retry': 'Retry',
  synthetic: 'Synthetic demo data',
  'age.fresh': 'Data updated {n} s ago',
  'age.waiting': 'Waiting for data…',
  'stale.heading': 'No data for {n} s',
  'stale.body': 'The connection to the server is lost. The screen shows data as of {time}; reconnecting automatically, missed events will be filled in.',
  'stale.storeHeading': 'Database unavailable',
  'stale.storeBody': 'The server cannot reach its database, so no new data is arriving. The screen shows data as of {time}; it catches up by itself once the database is back.',
  'kpi.open': 'Open incidents',
  'kpi.openTotal': 'Total',
  'kpi.atLeast': 'at least',
  'kpi.levels': 'Districts by risk level',
  'kpi.gini': 'Hospital access Gini',
  'kpi.giniHint': '0 = perfectly even, 1 = maximally uneven',
  'kpi.giniNone': 'n/a',
  'kpi.clocks': 'Response today',
  'kpi.onTime': 'Resolved on time',
  'kpi.onTimeNone': 'n/a',
  'kpi.overdue': 'Overdue open',
  'ticker.heading': 'Latest incidents',
  'ticker.empty': 'No incidents yet',
  'ticker.outside': 'Outside all districts',
  'rotate.city': 'Whole city',
  'rotate.touring': 'Touring {n}/{total}',
  'rotate.paused': 'Tour paused (P resumes)',
  'tour.measures': 'Measures in force',
  'map.label': 'Five-colour risk map',
};

export const tables: Record<Lang, Record<WallKey, string>> = { 'zh-CN': zh, en };
/** The tables as i18next namespace `wall`. */
const wallStrings = registerStrings('wall', tables);

export type WallTranslate = (key: WallKey, params?: Record<string, string | number>) => string;

/** The wall's translator for one language. */
export function wallText(lang: Lang): WallTranslate {
  return wallStrings(lang);
}

/** The wall's translator and the page's language, following the language switch. */
export function useWallText(): { t: WallTranslate; lang: Lang } {
  const { lang } = useI18n();
  return useMemo(() => ({ t: wallText(lang), lang }), [lang]);
}
