/**
 * The built-in measures config (docs/domain.md §16.2): written for the demo in the style of Chinese
 * emergency plans (一级至四级响应, 带班值守, 报送), not taken from any real centre's plan. A centre
 * replaces it with its own through `PUT /api/v1/measures/config`.
 */
import type { Measure, MeasuresConfig } from '../../contract/measures.ts';

const m = (id: string, zh: string, en: string): Measure => ({ id, text: { 'zh-CN': zh, en } });

export const DEFAULT_MEASURES_CONFIG: MeasuresConfig = {
  version: 1,
  levels: {
    red: [
      m('red-level-1-response', '启动一级应急响应，指挥部实体化运行', 'Activate the level-1 emergency response; the command post runs in person'),
      m('red-leader-on-duty', '主要领导24小时带班值守', 'Principal leaders on duty around the clock'),
      m('red-hourly-report', '每小时报送一次处置进展', 'Report progress every hour'),
      m('red-forces-in-place', '救援力量和物资前置到位', 'Rescue teams and supplies pre-positioned in the district'),
      m('red-public-warning', '发布预警信息，必要时组织群众转移', 'Issue public warnings; move residents to safety where needed'),
    ],
    orange: [
      m('orange-level-2-response', '启动二级应急响应', 'Activate the level-2 emergency response'),
      m('orange-leader-on-duty', '分管领导24小时带班值守', 'The leader in charge on duty around the clock'),
      m('orange-report-2h', '每2小时报送一次处置进展', 'Report progress every 2 hours'),
      m('orange-teams-standby', '救援队伍集结待命', 'Rescue teams assembled and on standby'),
    ],
    yellow: [
      m('yellow-level-3-response', '启动三级应急响应', 'Activate the level-3 emergency response'),
      m('yellow-duty-reinforced', '加强值班值守，24小时有人在岗', 'Reinforced duty: someone at the desk around the clock'),
      m('yellow-patrol-key-sites', '加密重点部位巡查', 'More frequent patrols of key sites'),
      m('yellow-report-twice-daily', '每日两次报送情况', 'Report twice a day'),
    ],
    blue: [
      m('blue-level-4-response', '启动四级应急响应', 'Activate the level-4 emergency response'),
      m('blue-monitoring', '加强监测预警', 'Closer monitoring and early warning'),
      m('blue-hazard-check', '开展隐患排查', 'Check for hazards'),
    ],
    green: [
      m('green-routine-patrol', '常态化巡查', 'Routine patrols'),
      m('green-daily-report', '每日报送情况', 'Report once a day'),
    ],
  },
  categories: {
    flood: {
      red: [
        m('flood-evacuate-low-lying', '转移低洼地带和危旧房屋人员', 'Move people out of low-lying areas and unsafe buildings'),
        m('flood-pumps-full', '排涝泵站满负荷运行', 'Drainage pumping stations at full capacity'),
      ],
      orange: [m('flood-pumps-standby', '排涝泵站和移动泵车待命', 'Pumping stations and mobile pumps on standby')],
    },
    fire: {
      red: [m('fire-water-supply', '保障消防水源，消防车辆前置', 'Secure water for firefighting; fire engines pre-positioned')],
    },
    hazmat: {
      red: [m('hazmat-cordon-downwind', '设置警戒区，疏散下风向人员', 'Set a cordon and evacuate people downwind')],
      orange: [m('hazmat-air-monitoring', '开展空气和水体监测', 'Monitor air and water')],
    },
    traffic: {
      red: [m('traffic-control-diversion', '实施交通管制和分流', 'Traffic control and diversions')],
    },
    public_health: {
      red: [m('health-designated-hospitals', '定点医院开通绿色通道', 'Designated hospitals open priority lanes')],
    },
  },
};
