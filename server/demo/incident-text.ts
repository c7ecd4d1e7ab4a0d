/** Words for synthetic incidents: category mix, severity mix and Chinese titles, all marked synthetic. */
import type { Category, Severity } from '../contract/incidents.ts';
import { pickWeighted, type Random } from './random.ts';

/** Every synthetic title starts with this, so no one mistakes the demo for a real event. */
export const SYNTHETIC_TITLE_PREFIX = '[合成] ';

export const SYNTHETIC_DESCRIPTION = '合成演示数据（非真实事件），由 City Brain 演示生成器按固定种子生成。';

/** Share of each category: 12345 hotline appeals dominate, as in a real city's intake. */
export const CATEGORY_MIX: Record<Category, number> = {
  hotline: 55,
  traffic: 12,
  infrastructure: 8,
  public_security: 6,
  other: 5,
  fire: 5,
  public_health: 4,
  flood: 3,
  hazmat: 1.5,
  earthquake: 0.2,
};

type SeverityMix = Partial<Record<Severity, number>>;

/** Severity by category: appeals are minor, emergencies heavier, `extreme` rare (a few a week). */
const SEVERITY_MIX: Record<Category, SeverityMix> = {
  hotline: { unknown: 15, minor: 70, moderate: 15 },
  traffic: { minor: 50, moderate: 36, severe: 13, extreme: 1 },
  infrastructure: { unknown: 5, minor: 45, moderate: 40, severe: 10 },
  public_security: { unknown: 10, minor: 50, moderate: 32, severe: 8 },
  other: { unknown: 30, minor: 50, moderate: 20 },
  fire: { minor: 30, moderate: 45, severe: 21, extreme: 4 },
  public_health: { unknown: 10, minor: 40, moderate: 40, severe: 10 },
  flood: { minor: 35, moderate: 45, severe: 17, extreme: 3 },
  hazmat: { moderate: 40, severe: 50, extreme: 10 },
  earthquake: { minor: 80, moderate: 20 },
};

const CATEGORY_LABEL: Record<Category, string> = {
  hotline: '12345 诉求',
  traffic: '交通事故',
  infrastructure: '设施故障',
  public_security: '治安警情',
  other: '其他求助',
  fire: '火情',
  public_health: '公共卫生',
  flood: '内涝',
  hazmat: '危化品',
  earthquake: '地震',
};

const SUBJECTS: Record<Category, readonly string[]> = {
  hotline: ['噪音扰民', '占道经营', '路灯不亮', '垃圾清运不及时', '小区停水', '违章停车', '夜间施工扰民', '餐饮油烟', '井盖缺失', '物业纠纷'],
  traffic: ['两车追尾', '路口严重拥堵', '电动自行车与行人碰撞', '货车侧翻', '信号灯故障'],
  infrastructure: ['供水管爆裂', '路面塌陷', '电力线路故障', '燃气管道异常', '桥梁伸缩缝损坏'],
  public_security: ['邻里纠纷', '可疑人员', '盗窃报警', '聚集滋事'],
  other: ['老人走失求助', '动物伤人', '高空坠物', '电梯困人'],
  fire: ['居民楼厨房起火', '电动自行车充电起火', '仓库冒烟', '山林起火', '餐馆油锅起火'],
  public_health: ['疑似食物中毒', '发热病例聚集', '饮用水异味'],
  flood: ['道路积水', '地下车库进水', '河道水位上涨', '下穿通道积水'],
  hazmat: ['化学品泄漏', '燃气泄漏', '危化品运输车辆异常'],
  earthquake: ['有感地震报告'],
};

export function pickCategory(rand: Random): Category {
  return pickWeighted(rand, CATEGORY_MIX);
}

export function pickSeverity(rand: Random, category: Category): Severity {
  return pickWeighted(rand, SEVERITY_MIX[category] as Record<Severity, number>);
}

/** `[合成] 火情：仓库冒烟（西湖区）`. */
export function incidentTitle(rand: Random, category: Category, place: string): string {
  const subjects = SUBJECTS[category];
  const subject = subjects[Math.floor(rand() * subjects.length)] ?? CATEGORY_LABEL[category];
  return `${SYNTHETIC_TITLE_PREFIX}${CATEGORY_LABEL[category]}：${subject}（${place}）`;
}
