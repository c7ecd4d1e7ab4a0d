/** UI strings in Simplified Chinese (default) and English, and a tiny hook to switch between them. */
import { createContext, useContext } from 'react';
import { LEVEL_NAMES, type Category, type RiskLevel, type RiskRuleApplied, type Severity, type Status } from '../../server/contract/index.ts';

export type Lang = 'zh-CN' | 'en';

const zh = {
  title: '城市大脑',
  titleLatin: 'City Brain',
  loading: '加载中…',
  'conn.connecting': '连接中',
  'conn.live': '实时',
  'conn.offline': '离线',
  'conn.staleSeconds': '数据已过时 {n} 秒',
  'conn.protocolMismatch': '服务器已升级，请刷新页面',
  incidentCount: '事件 {n}',
  'lang.toggle': 'English',
  'lang.toggleHint': '切换语言（L）',
  demoBadge: '合成演示数据',
  'list.heading': '事件列表',
  'list.empty': '暂无事件',
  'list.emptyFiltered': '没有符合筛选条件的事件',
  'list.outsideRegions': '辖区外',
  'list.shown': '显示 {shown} / {total}',
  'list.keysHint': '↑↓ 选择 · Enter 详情 · Esc 关闭',
  'filter.open': '处置中',
  'filter.all': '全部',
  'filter.severityHint': '按严重程度筛选',
  'status.reported': '已上报',
  'status.acknowledged': '已确认',
  'status.dispatched': '已派遣',
  'status.resolved': '已解决',
  'status.rejected': '已驳回',
  'action.acknowledged': '确认',
  'action.dispatched': '派遣',
  'action.resolved': '解决',
  'action.rejected': '驳回',
  'detail.close': '关闭（Esc）',
  'detail.status': '状态',
  'detail.category': '类别',
  'detail.severity': '严重程度',
  'detail.district': '区域',
  'detail.occurredAt': '发生时间',
  'detail.reportedAt': '上报时间',
  'detail.reporter': '报告人',
  'detail.none': '—',
  'detail.note': '备注（可选）',
  'detail.actions': '处置',
  'detail.saving': '提交中…',
  'detail.history': '处置记录',
  'detail.historyEmpty': '暂无记录',
  'detail.historyError': '处置记录加载失败：{message}',
  'detail.created': '创建',
  'detail.refused': '操作未执行：{message}',
  'legend.heading': '事件严重程度',
  'legend.closed': '已解决 / 已驳回',
  'risk.legend': '五色风险等级',
  'risk.legendSynthetic': '评分基于合成人口',
  'parcels.legend': '用地类型（土地码地块）',
  'parcels.hazardous': '危化品地块（黄框）',
  'parcels.legendSynthetic': '地块为合成演示数据',
  'risk.card': '区域风险',
  'risk.close': '关闭（Esc）',
  'risk.asOf': '回放时刻 {time}',
  'risk.level': '风险等级',
  'risk.score': '风险指数（每万人）',
  'risk.population': '常住人口',
  'risk.populationUnknown': '未知',
  'risk.counts': '事件数（24 小时 / 72 小时 / 窗口期）',
  'risk.clusters': '事件聚集',
  'risk.since': '定级时间',
  'risk.byCategory': '按类别的贡献（衰减加权）',
  'risk.noContributions': '窗口期内无事件',
  'risk.rules': '判定规则',
  'risk.noRules': '暂无判定记录',
  'risk.notRecorded': '此时刻之前无详细评分记录',
  'risk.synthetic': '人口为合成数据：评分仅作演示',
  'rule.score': '指数',
  'rule.cluster': '聚集升级',
  'rule.extreme': '极端事件',
  'rule.hysteresis': '降级缓冲',
  'rule.config': '模型配置',
  'playback.label': '风险回放（7 天）',
  'playback.live': '实时',
  'playback.backToLive': '回到实时',
  'playback.loading': '正在加载风险历史…',
  'playback.error': '风险历史加载失败：{message}',
  'playback.keysHint': '←→ 1 分钟 · PgUp/PgDn 1 小时 · Home/End',
  'playback.slider': '回放时刻',
  'signIn.heading': '请登录',
  'signIn.body': '请打开服务器日志中打印的登录链接，或粘贴令牌。',
  'signIn.tokenLabel': '访问令牌',
  'signIn.submit': '登录',
  'error.load': '数据加载失败：{message}',
  'error.retry': '重试',
  'severity.unknown': '未知',
  'severity.minor': '轻微',
  'severity.moderate': '中等',
  'severity.severe': '严重',
  'severity.extreme': '极端',
  'category.fire': '火灾',
  'category.flood': '洪涝',
  'category.traffic': '交通事故',
  'category.hazmat': '危化品',
  'category.public_health': '公共卫生',
  'category.public_security': '社会治安',
  'category.infrastructure': '基础设施',
  'category.earthquake': '地震',
  'category.hotline': '12345 热线',
  'category.other': '其他',
} as const;

export type MessageKey = keyof typeof zh;

/** Typed against the Chinese table, so a key missing in English fails the type check. */
const en: Record<MessageKey, string> = {
  title: '城市大脑',
  titleLatin: 'City Brain',
  loading: 'Loading…',
  'conn.connecting': 'Connecting',
  'conn.live': 'Live',
  'conn.offline': 'Offline',
  'conn.staleSeconds': 'data is {n} s old',
  'conn.protocolMismatch': 'Server was upgraded: please reload',
  incidentCount: '{n} incidents',
  'lang.toggle': '中文',
  'lang.toggleHint': 'Switch language (L)',
  demoBadge: 'synthetic demo data',
  'list.heading': 'Incidents',
  'list.empty': 'No incidents yet',
  'list.emptyFiltered': 'No incident matches the filters',
  'list.outsideRegions': 'outside all districts',
  'list.shown': '{shown} of {total}',
  'list.keysHint': '↑↓ select · Enter details · Esc close',
  'filter.open': 'Open',
  'filter.all': 'All',
  'filter.severityHint': 'Filter by severity',
  'status.reported': 'reported',
  'status.acknowledged': 'acknowledged',
  'status.dispatched': 'dispatched',
  'status.resolved': 'resolved',
  'status.rejected': 'rejected',
  'action.acknowledged': 'Acknowledge',
  'action.dispatched': 'Dispatch',
  'action.resolved': 'Resolve',
  'action.rejected': 'Reject',
  'detail.close': 'Close (Esc)',
  'detail.status': 'Status',
  'detail.category': 'Category',
  'detail.severity': 'Severity',
  'detail.district': 'District',
  'detail.occurredAt': 'Occurred',
  'detail.reportedAt': 'Reported',
  'detail.reporter': 'Reporter',
  'detail.none': '—',
  'detail.note': 'Note (optional)',
  'detail.actions': 'Actions',
  'detail.saving': 'Saving…',
  'detail.history': 'History',
  'detail.historyEmpty': 'No history yet',
  'detail.historyError': 'Could not load the history: {message}',
  'detail.created': 'created',
  'detail.refused': 'Not done: {message}',
  'legend.heading': 'Incident severity',
  'legend.closed': 'resolved / rejected',
  'risk.legend': 'Five-colour risk',
  'risk.legendSynthetic': 'scores use synthetic population',
  'parcels.legend': 'Land use (land-code parcels)',
  'parcels.hazardous': 'hazardous goods (yellow outline)',
  'parcels.legendSynthetic': 'parcels are synthetic demo data',
  'risk.card': 'District risk',
  'risk.close': 'Close (Esc)',
  'risk.asOf': 'Playback at {time}',
  'risk.level': 'Risk level',
  'risk.score': 'Score (per 10,000 residents)',
  'risk.population': 'Residents',
  'risk.populationUnknown': 'unknown',
  'risk.counts': 'Incidents (24 h / 72 h / window)',
  'risk.clusters': 'Clusters',
  'risk.since': 'Level since',
  'risk.byCategory': 'Contribution by category (decayed weights)',
  'risk.noContributions': 'No incidents in the window',
  'risk.rules': 'Rules applied',
  'risk.noRules': 'No rating recorded yet',
  'risk.notRecorded': 'No detailed rating recorded before this time',
  'risk.synthetic': 'Population is synthetic: scores are for demonstration only',
  'rule.score': 'Score',
  'rule.cluster': 'Cluster lift',
  'rule.extreme': 'Extreme incident',
  'rule.hysteresis': 'Step-down hold',
  'rule.config': 'Model config',
  'playback.label': 'Risk playback (7 days)',
  'playback.live': 'Live',
  'playback.backToLive': 'Back to live',
  'playback.loading': 'Loading risk history…',
  'playback.error': 'Could not load the risk history: {message}',
  'playback.keysHint': '←→ 1 min · PgUp/PgDn 1 h · Home/End',
  'playback.slider': 'Time shown',
  'signIn.heading': 'Sign in',
  'signIn.body': 'Open the sign-in link printed in the server log, or paste a token.',
  'signIn.tokenLabel': 'Access token',
  'signIn.submit': 'Sign in',
  'error.load': 'Could not load data: {message}',
  'error.retry': 'Retry',
  'severity.unknown': 'unknown',
  'severity.minor': 'minor',
  'severity.moderate': 'moderate',
  'severity.severe': 'severe',
  'severity.extreme': 'extreme',
  'category.fire': 'fire',
  'category.flood': 'flood',
  'category.traffic': 'traffic accident',
  'category.hazmat': 'hazmat',
  'category.public_health': 'public health',
  'category.public_security': 'public security',
  'category.infrastructure': 'infrastructure',
  'category.earthquake': 'earthquake',
  'category.hotline': '12345 hotline',
  'category.other': 'other',
};

const tables: Record<Lang, Record<MessageKey, string>> = { 'zh-CN': zh, en };

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** Returns the translator for one language; `{name}` placeholders are filled from `params`. */
export function translator(lang: Lang): Translate {
  const table = tables[lang];
  return (key, params) => {
    const text = table[key];
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
  };
}

export const severityKey = (s: Severity): MessageKey => `severity.${s}`;
export const categoryKey = (c: Category): MessageKey => `category.${c}`;
export const statusKey = (s: Status): MessageKey => `status.${s}`;
export const ruleKey = (r: RiskRuleApplied['rule']): MessageKey => `rule.${r}`;
/** Level names live in the contract (the bulletin prints the same words). */
export const levelName = (level: RiskLevel, lang: Lang): string => LEVEL_NAMES[level][lang];
/** The button that moves an incident to `s`. */
export const actionKey = (s: Exclude<Status, 'reported'>): MessageKey => `action.${s}`;

const STORAGE_KEY = 'city-brain.lang';

/** Language remembered from the last visit, else Chinese. */
export function initialLang(): Lang {
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
