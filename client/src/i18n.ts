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
  'view.equity': '服务均衡',
  'view.risk': '五色图',
  'view.toggleHint': '切换服务均衡视图（E）',
  'equity.heading': '服务空间均衡',
  'equity.kind': '设施',
  'equity.method': '方法',
  'equity.method.2sfca': '2SFCA 两步移动搜索',
  'equity.method.e2sfca': 'E2SFCA 高斯衰减',
  'equity.radius': '服务半径（米）',
  'equity.loading': '正在计算可达性…',
  'equity.error': '服务均衡加载失败：{message}',
  'equity.noPopulation': '尚未导入人口数据：无法计算可达性。',
  'equity.noFacilities': '没有{kind}：所有居民的可达性均为 0。',
  'equity.synthetic': '人口与设施为合成演示数据',
  'equity.summary': '{n} 处{kind} · {population} 人',
  'equity.gini': '基尼系数',
  'equity.giniMeaning': '0 表示人人可达性相同，越接近 1 越集中在少数人',
  'equity.theil': '泰尔指数',
  'equity.theilMeaning': '0 表示完全均衡，越大越不均衡（可按区分解）',
  'equity.meanAccess': '平均可达性（每千人）',
  'equity.zeroShare': '无设施可达的居民',
  'equity.lorenz': '洛伦兹曲线',
  'equity.lorenzHint': '横轴：居民累计占比（可达性由低到高）；纵轴：可达性累计占比；对角线为完全均衡。',
  'equity.legend': '可达性（每千人{kind}容量）',
  'equity.legendNone': '0：服务半径内无设施',
  'equity.districtFill': '按区显示平均可达性',
  'equity.districts': '服务不足与“沉默”区域',
  'equity.districtsNone': '没有服务不足的区域',
  'equity.col.name': '区域',
  'equity.col.mean': '平均可达性',
  'equity.col.zero': '无可达',
  'equity.col.appeals': '诉求/万人',
  'equity.col.flag': '标记',
  'equity.silent': '沉默',
  'equity.underserved': '不足',
  'equity.silentReason': '平均可达性 {mean} 低于全市 {city} 的 {low}%，且近 {days} 天热线诉求 {appeals} 件/万人，低于全市 {cityAppeals} 的 {few}%：居民可能无法通过热线反映需求。',
  'equity.underservedReason': '平均可达性 {mean} 低于全市 {city} 的 {low}%。',
  'equity.hotspots': '低可达人口聚集区',
  'equity.hotspotsNone': '没有低可达聚集区',
  'equity.hotspot': '{cells} 个网格 · {population} 人 · 平均 {mean}',
  'equity.whatIf': '假设新增设施',
  'equity.place': '放置假设设施',
  'equity.placing': '请在地图上点击位置（Esc 取消）',
  'equity.capacity': '容量',
  'equity.clear': '清除',
  'equity.computing': '计算中…',
  'equity.whatIfError': '假设计算失败：{message}',
  'equity.whatIfNote': '仅为假设，不会保存。',
  'equity.added': '已放置 {n} 处假设设施',
  'equity.changedDistricts': '可达性变化的区域',
  'equity.noChange': '没有区域变化：新设施服务半径内无居民',
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
  'view.equity': 'Equity',
  'view.risk': 'Risk map',
  'view.toggleHint': 'Switch the service-equity view (E)',
  'equity.heading': 'Service equity',
  'equity.kind': 'Facility',
  'equity.method': 'Method',
  'equity.method.2sfca': '2SFCA (two-step catchment)',
  'equity.method.e2sfca': 'E2SFCA (Gaussian decay)',
  'equity.radius': 'Catchment (m)',
  'equity.loading': 'Computing access…',
  'equity.error': 'Could not load service equity: {message}',
  'equity.noPopulation': 'No population loaded: access cannot be computed.',
  'equity.noFacilities': 'No {kind}: every resident has access 0.',
  'equity.synthetic': 'population and facilities are synthetic demo data',
  'equity.summary': '{n} {kind} · {population} residents',
  'equity.gini': 'Gini',
  'equity.giniMeaning': '0 = everyone has the same access; towards 1 = held by a few',
  'equity.theil': 'Theil',
  'equity.theilMeaning': '0 = perfectly even; larger = more uneven (splits by district)',
  'equity.meanAccess': 'Mean access (per 1,000 residents)',
  'equity.zeroShare': 'Residents with no facility in reach',
  'equity.lorenz': 'Lorenz curve',
  'equity.lorenzHint': 'x: cumulative share of residents, lowest access first; y: cumulative share of access; the diagonal is perfect equality.',
  'equity.legend': 'Access ({kind} capacity per 1,000 residents)',
  'equity.legendNone': '0: no facility within the catchment',
  'equity.districtFill': 'Districts by mean access',
  'equity.districts': 'Underserved and silent districts',
  'equity.districtsNone': 'No district is underserved',
  'equity.col.name': 'District',
  'equity.col.mean': 'Mean access',
  'equity.col.zero': 'No access',
  'equity.col.appeals': 'Appeals /10k',
  'equity.col.flag': 'Flag',
  'equity.silent': 'silent',
  'equity.underserved': 'underserved',
  'equity.silentReason': 'Mean access {mean} is below {low}% of the city’s {city}, and {appeals} appeals per 10,000 in {days} days is below {few}% of the city’s {cityAppeals}: residents may not be reaching the hotline.',
  'equity.underservedReason': 'Mean access {mean} is below {low}% of the city’s {city}.',
  'equity.hotspots': 'Low-access hotspots',
  'equity.hotspotsNone': 'No hotspot',
  'equity.hotspot': '{cells} cells · {population} residents · mean {mean}',
  'equity.whatIf': 'What if',
  'equity.place': 'Place a hypothetical facility',
  'equity.placing': 'Click the map where it would stand (Esc cancels)',
  'equity.capacity': 'Capacity',
  'equity.clear': 'Clear',
  'equity.computing': 'Computing…',
  'equity.whatIfError': 'What-if failed: {message}',
  'equity.whatIfNote': 'Hypothetical: nothing is stored.',
  'equity.added': '{n} hypothetical facilities placed',
  'equity.changedDistricts': 'Districts whose access changes',
  'equity.noChange': 'No district changes: nobody lives within its catchment',
};

export const tables: Record<Lang, Record<MessageKey, string>> = { 'zh-CN': zh, en };

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
