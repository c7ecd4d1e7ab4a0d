/** Words of the public parcel page in its two languages (zh-CN first: it is read on site in China). */
import { landCodeCheckChar } from '../../contract/land-code.ts';

export type PageLang = 'zh-CN' | 'en';

/** `?lang=en` asks for English; anything else gets the default, zh-CN. */
export const pageLang = (raw: unknown): PageLang => (raw === 'en' ? 'en' : 'zh-CN');

export const TEXT = {
  'zh-CN': {
    brand: '城市大脑 · 土地码',
    colon: '：',
    landCode: '土地码',
    currentStage: '当前阶段',
    nextStep: '下一步',
    lastStage: '已完成全部阶段',
    lifecycle: '生命周期',
    landUse: '用地类型',
    area: '面积',
    regionCode: '行政区划代码',
    address: '地址',
    location: '位置',
    outline: '地块轮廓示意图（上北下南）',
    north: '北',
    timeline: '办理记录',
    department: '部门',
    documents: '文件',
    issued: '签发日期',
    noSteps: '尚无记录。',
    synthetic: '演示数据：本地块为合成数据，并非真实地块。',
    hazardous: '涉及危险品（如化学品仓储）',
    privacy: '本页公开：只显示地块位置、用途、阶段及各部门文件，不含个人信息。',
    updated: '更新于',
    lookup: '查询土地码',
    lookupHint: '输入土地码，例如 330106-2026-00042-0',
    submit: '查询',
    otherLang: 'English',
    notFoundTitle: '未找到地块',
    notFound: (code: string) => `没有地块使用土地码 ${code}。请核对后重新输入。`,
    invalidTitle: '土地码有误',
    areaValue: (m2: string, ha: string) => `${m2} 平方米（${ha} 公顷）`,
    latLon: (lat: string, lon: string) => `${lat}，${lon}`,
    hemispheres: { n: '北纬', s: '南纬', e: '东经', w: '西经' },
  },
  en: {
    brand: 'City Brain · Land code',
    colon: ': ',
    landCode: 'Land code',
    currentStage: 'Current stage',
    nextStep: 'Next step',
    lastStage: 'All stages completed',
    lifecycle: 'Lifecycle',
    landUse: 'Land use',
    area: 'Area',
    regionCode: 'Region code',
    address: 'Address',
    location: 'Location',
    outline: 'Outline of the parcel (north up)',
    north: 'N',
    timeline: 'History',
    department: 'Department',
    documents: 'Documents',
    issued: 'Issued',
    noSteps: 'Nothing recorded yet.',
    synthetic: 'Demo data: this parcel is synthetic, not a real parcel.',
    hazardous: 'Hazardous (e.g. chemical storage)',
    privacy: 'This page is public: it shows the parcel’s location, use, stage and the departments’ documents, never personal data.',
    updated: 'Updated',
    lookup: 'Look up a land code',
    lookupHint: 'Type a land code, e.g. 330106-2026-00042-0',
    submit: 'Look up',
    otherLang: '中文',
    notFoundTitle: 'No such parcel',
    notFound: (code: string) => `No parcel has the land code ${code}. Please check it and type it again.`,
    invalidTitle: 'Check the land code',
    areaValue: (m2: string, ha: string) => `${m2} m² (${ha} ha)`,
    latLon: (lat: string, lon: string) => `${lat}, ${lon}`,
    hemispheres: { n: 'N', s: 'S', e: 'E', w: 'W' },
  },
} as const;

/**
 * Why a typed code is not a land code, in the page's language. English is `parseLandCode`'s own
 * message; Chinese names the same two common faults (wrong check character, wrong shape).
 */
export function badCodeMessage(typed: string, parserMessage: string, lang: PageLang): string {
  if (lang === 'en') return parserMessage;
  const text = typed.trim();
  const match = /^(\d{6})-(\d{4})-(\d{5})-([0-9Xx])$/.exec(text);
  if (!match) {
    if (text === '') return '未输入土地码。土地码形如 330106-2026-00042-0。';
    return `“${text}”不是土地码：土地码形如 330106-2026-00042-0（6 位行政区划代码、4 位年份、5 位序号和 1 位校验码 0–9 或 X，以连字符分隔）。`;
  }
  const [, adcode = '', year = '', seq = ''] = match;
  const given = (match[4] ?? '').toUpperCase();
  const expected = landCodeCheckChar(adcode + year + seq);
  if (given !== expected) return `土地码 ${text} 的校验位是 ${given}，但按其数字应为 ${expected}：可能输错了，请逐位核对。`;
  return `土地码 ${text} 无效：${parserMessage}`;
}
