/**
 * The parcel panel's UI strings, Simplified Chinese (default) and English, kept apart from i18n.ts so
 * the common table and this one can change independently. Same shape as i18n.ts: a table per
 * language typed against the Chinese one, `{name}` placeholders filled from `params`.
 */
import { useMemo } from 'react';
import { LAND_USE_NAMES, STAGE_NAMES, type LandUse, type ParcelStage } from '#contract/index.ts';
import { useI18n, type Lang } from '../../i18n/i18n.ts';
import { registerStrings } from '../../i18n/i18next.ts';

const zh = {
  'search.label': '查找地块',
  'search.placeholder': '土地码、地块名称或地址',
  'search.hint': '输入完整土地码直接打开；↑↓ 选择 · Enter 打开 · Esc 关闭',
  'search.searching': '查找中…',
  'search.none': '没有与“{q}”匹配的地块',
  'search.more': '仅显示前 {n} 个结果，请输入更多文字缩小范围',
  'search.error': '查找失败：{message}',
  'search.mistyped': '土地码 {code} 的校验位是 {given}，但按前 15 位数字应为 {expected}：很可能输错了，请逐位核对。',
  'search.badSequence': '土地码 {code} 的顺序号为 00000，顺序号从 00001 开始。',
  'search.badYear': '土地码 {code} 的年份 {year} 不是有效年份。',
  'search.notFound': '没有土地码为 {code} 的地块。',
  'search.openFailed': '地块加载失败：{message}',
  'scan.button': '扫码',
  'scan.hint': '用摄像头扫描地块二维码',
  'scan.heading': '扫描地块二维码',
  'scan.starting': '正在打开摄像头…',
  'scan.aim': '将二维码对准取景框',
  'scan.close': '关闭（Esc）',
  'scan.fallback': '请在搜索框中输入二维码下方印的土地码。',
  'scan.unsupported': '此浏览器不能使用摄像头扫码。',
  'scan.insecure': '摄像头只能在安全连接（HTTPS 或本机）下使用。',
  'scan.denied': '未获准使用摄像头。',
  'scan.noCamera': '没有找到摄像头。',
  'scan.busy': '摄像头正被其他程序占用。',
  'scan.failed': '摄像头无法打开：{message}',
  'scan.noDecoder': '此浏览器无法识别二维码。',
  'scan.notParcel': '这个二维码不是地块码：{text}',
  'scan.mistyped': '二维码中的土地码 {code} 校验位错误（应为 {expected}）。',
  'drawer.label': '地块 {code}',
  'drawer.close': '关闭（Esc）',
  'drawer.loading': '正在加载地块…',
  'drawer.copy': '复制',
  'drawer.copied': '已复制',
  'drawer.copyHint': '复制土地码',
  'drawer.locate': '在地图上定位',
  'drawer.landUse': '用地类型',
  'drawer.hazardous': '危险品',
  'drawer.hazardousHint': '涉及危险化学品等危险源',
  'drawer.area': '面积',
  'drawer.region': '所在区域',
  'drawer.address': '地址',
  'drawer.stage': '当前阶段',
  'drawer.synthetic': '合成演示地块',
  'drawer.refreshing': '已更新',
  'timeline.heading': '全生命周期',
  'timeline.done': '已完成',
  'timeline.current': '当前',
  'timeline.next': '下一步',
  'timeline.pending': '未开始',
  'timeline.expected': '通常由 {departments} 办理',
  'docs.heading': '各部门文件',
  'docs.none': '暂无文件',
  'around.heading': '周边 {radius} 米',
  'around.straightLine': '距离为直线距离',
  'around.loading': '正在加载周边…',
  'around.error': '周边加载失败：{message}',
  'around.facilities': '公共设施',
  'around.noFacilities': '范围内无公共设施',
  'around.incidents': '未结事件',
  'around.noIncidents': '范围内无未结事件',
  'around.parcels': '相邻地块',
  'around.noParcels': '范围内无其他地块',
  'around.more': '另有 {n} 个',
  'around.population': '常住人口',
  'around.populationSynthetic': '合成人口',
  'around.populationNone': '无人口数据',
  'qr.heading': '地块二维码',
  'qr.alt': '地块 {code} 的二维码',
  'qr.missing': '二维码暂不可用',
  'qr.print': '打印',
  'qr.printHint': '只打印土地码、二维码和地块名称',
  'facility.hospital': '医院',
  'facility.clinic': '社区卫生服务中心',
  'facility.school': '学校',
  'facility.elderly_care': '养老机构',
  'facility.fire_station': '消防站',
} as const;

export type PlannerKey = keyof typeof zh;

const en: Record<PlannerKey, string> = {
  'search.label': 'Find a parcel',
  'search.placeholder': 'Land code, parcel name or address',
  'search.hint': 'A full land code opens at once; ↑↓ select · Enter open · Esc close',
  'search.searching': 'Searching…',
  'search.none': 'No parcel matches “{q}”',
  'search.more': 'Only the first {n} results are shown: type more to narrow them',
  'search.error': 'Search failed: {message}',
  'search.mistyped': 'Land code {code} ends in check character {given}, but its first 15 digits give {expected}: it is probably mistyped; please check every digit.',
  'search.badSequence': 'Land code {code} has sequence 00000; sequences start at 00001.',
  'search.badYear': 'Land code {code} has year {year}, which is not a valid year.',
  'search.notFound': 'No parcel has the land code {code}.',
  'search.openFailed': 'Could not load the parcel: {message}',
  'scan.button': 'Scan QR',
  'scan.hint': 'Scan a parcel QR code with the camera',
  'scan.heading': 'Scan a parcel QR code',
  'scan.starting': 'Opening the camera…',
  'scan.aim': 'Hold the QR code inside the frame',
  'scan.close': 'Close (Esc)',
  'scan.fallback': 'Type the land code printed under the QR code into the search box instead.',
  'scan.unsupported': 'This browser cannot use a camera to scan.',
  'scan.insecure': 'The camera works only over a secure connection (HTTPS or this computer).',
  'scan.denied': 'Camera access was not allowed.',
  'scan.noCamera': 'No camera was found.',
  'scan.busy': 'The camera is in use by another program.',
  'scan.failed': 'The camera could not be opened: {message}',
  'scan.noDecoder': 'This browser cannot read QR codes.',
  'scan.notParcel': 'This QR code is not a parcel code: {text}',
  'scan.mistyped': 'The land code {code} in this QR code has a wrong check character (expected {expected}).',
  'drawer.label': 'Parcel {code}',
  'drawer.close': 'Close (Esc)',
  'drawer.loading': 'Loading the parcel…',
  'drawer.copy': 'Copy',
  'drawer.copied': 'Copied',
  'drawer.copyHint': 'Copy the land code',
  'drawer.locate': 'Show on the map',
  'drawer.landUse': 'Land use',
  'drawer.hazardous': 'Hazardous',
  'drawer.hazardousHint': 'Holds hazardous materials such as chemicals',
  'drawer.area': 'Area',
  'drawer.region': 'District',
  'drawer.address': 'Address',
  'drawer.stage': 'Stage',
  'drawer.synthetic': 'synthetic demo parcel',
  'drawer.refreshing': 'updated',
  'timeline.heading': 'Lifecycle',
  'timeline.done': 'done',
  'timeline.current': 'current',
  'timeline.next': 'next',
  'timeline.pending': 'not started',
  'timeline.expected': 'usually handled by {departments}',
  'docs.heading': 'Documents per department',
  'docs.none': 'No documents yet',
  'around.heading': 'Within {radius} m',
  'around.straightLine': 'straight-line distance',
  'around.loading': 'Loading the surroundings…',
  'around.error': 'Could not load the surroundings: {message}',
  'around.facilities': 'Facilities',
  'around.noFacilities': 'No facility within the radius',
  'around.incidents': 'Open incidents',
  'around.noIncidents': 'No open incident within the radius',
  'around.parcels': 'Neighbouring parcels',
  'around.noParcels': 'No other parcel within the radius',
  'around.more': '{n} more',
  'around.population': 'Residents',
  'around.populationSynthetic': 'synthetic population',
  'around.populationNone': 'no population data',
  'qr.heading': 'Parcel QR code',
  'qr.alt': 'QR code of parcel {code}',
  'qr.missing': 'QR code not available yet',
  'qr.print': 'Print',
  'qr.printHint': 'Prints only the land code, QR code and parcel name',
  'facility.hospital': 'Hospitals',
  'facility.clinic': 'Clinics',
  'facility.school': 'Schools',
  'facility.elderly_care': 'Elderly care',
  'facility.fire_station': 'Fire stations',
};

export const tables: Record<Lang, Record<PlannerKey, string>> = { 'zh-CN': zh, en };
/** The tables as i18next namespace `planner`. */
const plannerStrings = registerStrings('planner', tables);

export type PlannerTranslate = (key: PlannerKey, params?: Record<string, string | number>) => string;

/** The planner's translator for one language. */
export function plannerText(lang: Lang): PlannerTranslate {
  return plannerStrings(lang);
}

/** A facility kind's heading; kinds the table does not know are shown as sent. */
export function facilityKindName(kind: string, t: PlannerTranslate): string {
  const key = `facility.${kind}`;
  return key in zh ? t(key as PlannerKey) : kind;
}

export const stageName = (stage: ParcelStage, lang: Lang): string => STAGE_NAMES[stage][lang];
export const landUseName = (landUse: LandUse, lang: Lang): string => LAND_USE_NAMES[landUse][lang];

/** The parcel panel's translator and the page's language, following the language switch. */
export function usePlannerText(): { t: PlannerTranslate; lang: Lang } {
  const { lang } = useI18n();
  return useMemo(() => ({ t: plannerText(lang), lang }), [lang]);
}
