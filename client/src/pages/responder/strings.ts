/**
 * The responder console's UI strings, Simplified Chinese (default) and English. Same shape as the
 * planner's: a table per language typed against the Chinese one, `{name}` placeholders filled from
 * `params`. Severity, category and status names come from the shared table in i18n.ts.
 */
import { useMemo } from 'react';
import { LAND_USE_NAMES, type LandUse } from '#contract/index.ts';
import { useI18n, type Lang, type Translate } from '../../i18n/i18n.ts';
import { registerStrings } from '../../i18n/i18next.ts';

const zh = {
  title: '应急处置台',
  loading: '加载中…',
  'error.load': '数据加载失败',
  'store.down': '数据库暂不可用：此时的处置操作不会保存，列表保持最后的数据；恢复后自动更新',
  retry: '重试',
  'lang.switch': '切换到英文（L）',
  'live.live': '实时连接',
  'live.connecting': '正在连接…',
  'live.offline': '连接中断，正在重连',
  'sound.on': '提示音已开启（M）',
  'sound.muted': '已静音（M）',
  'sound.locked': '点击页面或按任意键以启用提示音',
  'alert.new': '新的{severity}事件：',
  'alert.dismiss': '知道了',
  'queue.heading': '待处置事件',
  'queue.count': '{n} 起',
  'queue.empty': '没有待处置的事件',
  'queue.hint': '↑↓ 选择 · A 确认 · D 派遣 · R 解决 · M 静音',
  'queue.waiting': '上报于 {time}',
  'detail.none': '请选择一个事件查看详情',
  'detail.severity': '严重程度',
  'detail.category': '类别',
  'detail.status': '状态',
  'detail.reported': '上报时间',
  'detail.region': '所在区域',
  'detail.outside': '不在任何区域内',
  'detail.actions': '处置',
  'action.key': '（{key}）',
  'confirm.heading': '确认要“{action}”此事件吗？',
  'confirm.change': '状态将从“{from}”变为“{to}”',
  'confirm.yes': '确定（Enter 或 Y）',
  'confirm.no': '取消（Esc）',
  'confirm.saving': '正在提交…',
  'error.conflict': '无法{action}：该事件现为“{status}”。可执行：{allowed}',
  'error.final': '无法{action}：该事件已是“{status}”，不能再更改。',
  'error.other': '操作未完成（{code}），请重试。',
  'done.changed': '事件已{status}',
  'nearby.heading': '周边情况',
  'nearby.radius': '影响半径',
  'nearby.loading': '正在查询周边…',
  'nearby.error': '周边信息加载失败',
  'nearby.fire': '最近的消防站',
  'nearby.hospital': '最近的医院',
  'nearby.straight': '直线距离',
  'nearby.none': '无',
  'nearby.residents': '半径内居民',
  'nearby.residentsValue': '{n} 人',
  'nearby.synthetic': '（合成人口数据）',
  'nearby.parcels': '半径内地块（危险地块在前）',
  'nearby.hazardous': '危险',
  'nearby.incidents': '附近其他待处置事件',
  'nearby.more': '另有 {n} 个未列出',
  'nearby.unnamed': '未命名地块',
  'measures.heading': '应执行措施',
  'measures.loading': '正在读取措施清单…',
  'measures.error': '措施清单加载失败',
  'measures.outside': '不在任何区域内：无规定措施',
  'measures.unrated': '所在区域尚未定级：暂无规定措施',
  'measures.none': '此等级无规定措施',
  'measures.doneBy': '{name} 于 {time} 完成',
  'measures.failed': '未能记录：{message}',
} as const;

export type ResponderKey = keyof typeof zh;

const en: Record<ResponderKey, string> = {
  title: 'Responder console',
  loading: 'Loading…',
  'error.load': 'Could not load the data',
  'store.down': 'Database unavailable: actions taken now are not saved; the list keeps the last data and updates by itself once it is back',
  retry: 'Retry',
  'lang.switch': 'Switch to Chinese (L)',
  'live.live': 'Live',
  'live.connecting': 'Connecting…',
  'live.offline': 'Disconnected, reconnecting',
  'sound.on': 'Sound on (M)',
  'sound.muted': 'Muted (M)',
  'sound.locked': 'Tap the page or press any key to enable sound',
  'alert.new': 'New {severity} incident: ',
  'alert.dismiss': 'Got it',
  'queue.heading': 'Open incidents',
  'queue.count': '{n} open',
  'queue.empty': 'No open incidents',
  'queue.hint': '↑↓ select · A acknowledge · D dispatch · R resolve · M mute',
  'queue.waiting': 'reported {time}',
  'detail.none': 'Select an incident to see its details',
  'detail.severity': 'Severity',
  'detail.category': 'Category',
  'detail.status': 'Status',
  'detail.reported': 'Reported',
  'detail.region': 'District',
  'detail.outside': 'Outside every district',
  'detail.actions': 'Actions',
  'action.key': ' ({key})',
  'confirm.heading': '{action} this incident?',
  'confirm.change': 'Its status changes from {from} to {to}',
  'confirm.yes': 'Confirm (Enter or Y)',
  'confirm.no': 'Cancel (Esc)',
  'confirm.saving': 'Saving…',
  'error.conflict': 'Cannot {action}: the incident is now {status}. Allowed: {allowed}',
  'error.final': 'Cannot {action}: the incident is {status} and can no longer change.',
  'error.other': 'Not done ({code}); please try again.',
  'done.changed': 'Incident {status}',
  'nearby.heading': 'Around the incident',
  'nearby.radius': 'Affected radius',
  'nearby.loading': 'Looking around…',
  'nearby.error': 'Could not load the surroundings',
  'nearby.fire': 'Nearest fire stations',
  'nearby.hospital': 'Nearest hospitals',
  'nearby.straight': 'straight line',
  'nearby.none': 'None',
  'nearby.residents': 'Residents within the radius',
  'nearby.residentsValue': '{n} people',
  'nearby.synthetic': ' (synthetic population data)',
  'nearby.parcels': 'Parcels within the radius (hazardous first)',
  'nearby.hazardous': 'hazardous',
  'nearby.incidents': 'Other open incidents nearby',
  'nearby.more': '{n} more not listed',
  'nearby.unnamed': 'unnamed parcel',
  'measures.heading': 'Measures to carry out',
  'measures.loading': 'Reading the checklist…',
  'measures.error': 'Could not load the checklist',
  'measures.outside': 'Outside every district: no measures set',
  'measures.unrated': 'The district has no risk level yet: no measures set',
  'measures.none': 'No measures set for this level',
  'measures.doneBy': 'done by {name} at {time}',
  'measures.failed': 'Not recorded: {message}',
};

export const tables: Record<Lang, Record<ResponderKey, string>> = { 'zh-CN': zh, en };
/** The tables as i18next namespace `responder`. */
const responderStrings = registerStrings('responder', tables);

export type ResponderTranslate = (key: ResponderKey, params?: Record<string, string | number>) => string;

/** The responder console's translator for one language. */
export function responderText(lang: Lang): ResponderTranslate {
  return responderStrings(lang);
}

export const landUseName = (landUse: LandUse, lang: Lang): string => LAND_USE_NAMES[landUse][lang];

/** A distance in metres for the language: metres below 1 km, kilometres with one decimal above. */
export function formatDistance(metres: number, lang: Lang): string {
  if (metres < 1000) return new Intl.NumberFormat(lang, { style: 'unit', unit: 'meter', maximumFractionDigits: 0 }).format(metres);
  return new Intl.NumberFormat(lang, { style: 'unit', unit: 'kilometer', maximumFractionDigits: 1 }).format(metres / 1000);
}

export const formatCount = (n: number, lang: Lang): string => new Intl.NumberFormat(lang, { maximumFractionDigits: 0 }).format(n);

/** The console's translator, the shared one (severity, category, status names) and the language. */
export function useResponderText(): { t: ResponderTranslate; shared: Translate; lang: Lang } {
  const { lang, t: shared } = useI18n();
  return useMemo(() => ({ t: responderText(lang), shared, lang }), [lang, shared]);
}
