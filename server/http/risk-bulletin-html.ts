/**
 * The daily risk bulletin as a printable page (A4, black text, coloured level chips with their
 * names, so it still reads in grey-scale print), and the measures each unit's level requires.
 * Everything from the data is escaped.
 */
import type { DistrictMeasure } from '../contract/measures.ts';
import { LEVEL_COLOURS, LEVEL_NAMES, RISK_LEVELS, type RiskBulletin, type RiskLevel } from '../contract/risk.ts';

export type BulletinLang = 'zh-CN' | 'en';

const TEXT = {
  'zh-CN': {
    title: '五色图风险等级日报',
    date: '日期',
    zone: '时区',
    changes: '等级变化',
    none: '当日无等级变化。',
    time: '时间',
    unit: '单元',
    change: '变化',
    reason: '原因',
    summary: '日终各等级单元数',
    units: '各单元日终等级',
    since: '自',
    code: '代码',
    level: '等级',
    measures: '应执行措施',
    generated: '生成于',
    config: '模型配置版本',
    synthetic: '人口为合成数据（演示），评分仅作演示。',
  },
  en: {
    title: 'Five-colour risk bulletin',
    date: 'Date',
    zone: 'Time zone',
    changes: 'Level changes',
    none: 'No unit changed level this day.',
    time: 'Time',
    unit: 'Unit',
    change: 'Change',
    reason: 'Reason',
    summary: 'Units per level at the end of the day',
    units: 'Level of each unit at the end of the day',
    since: 'Since',
    code: 'Code',
    level: 'Level',
    measures: 'Measures in force',
    generated: 'Generated',
    config: 'Model config version',
    synthetic: 'Populations are synthetic (demo): scores are for demonstration only.',
  },
} as const;

const escape = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function chip(level: RiskLevel | null, lang: BulletinLang): string {
  if (level === null) return '—';
  const dark = level === 'yellow' ? '#000' : '#fff';
  return `<span class="chip" style="background:${LEVEL_COLOURS[level]};color:${dark}">${escape(LEVEL_NAMES[level][lang])}</span>`;
}

/** The measures a unit's level requires, numbered in the order to carry them out. */
function measureList(measures: readonly DistrictMeasure[], lang: BulletinLang): string {
  if (measures.length === 0) return '—';
  return `<ol class="measures">${measures.map((m) => `<li data-measure="${escape(m.id)}">${escape(lang === 'en' ? m.textEn : m.text)}</li>`).join('')}</ol>`;
}

function localTime(iso: string, timeZone: string, lang: BulletinLang): string {
  return new Intl.DateTimeFormat(lang, { timeZone, dateStyle: 'short', timeStyle: 'short', hourCycle: 'h23' }).format(new Date(iso));
}

export function bulletinHtml(b: RiskBulletin, lang: BulletinLang, syntheticPopulation: boolean): string {
  const t = TEXT[lang];
  const rows = b.changes
    .map(
      (c) => `<tr data-code="${escape(c.code)}"><td>${escape(localTime(c.at, b.timeZone, lang))}</td><td>${escape(c.name)} <small>${escape(c.code)}</small></td>` +
        `<td>${chip(c.from, lang)} → ${chip(c.to, lang)}</td><td>${escape(c.reason)}</td></tr>`,
    )
    .join('\n');
  const summary = [...RISK_LEVELS].reverse().map((l) => `<td>${chip(l, lang)} ${b.levels[l]}</td>`).join('');
  const units = [...b.units]
    .sort((a, z) => RISK_LEVELS.indexOf(z.level) - RISK_LEVELS.indexOf(a.level) || a.code.localeCompare(z.code))
    .map(
      (u) => `<tr data-code="${escape(u.code)}"><td>${escape(u.code)}</td><td>${escape(u.name)}</td><td>${chip(u.level, lang)}</td><td>${u.since ? escape(localTime(u.since, b.timeZone, lang)) : '—'}</td>` +
        `<td>${measureList(u.measures, lang)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(t.title)} ${escape(b.date)}</title>
<style>
  @page { size: A4; margin: 16mm; }
  body { font-family: "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", system-ui, sans-serif; color: #111; background: #fff; margin: 24px auto; max-width: 960px; line-height: 1.45; }
  h1 { font-size: 22px; margin: 0 0 4px; }
  h2 { font-size: 16px; margin: 20px 0 6px; border-bottom: 1px solid #999; }
  .meta { color: #333; font-size: 13px; }
  table { border-collapse: collapse; width: 100%; font-size: 13px; }
  th, td { border: 1px solid #bbb; padding: 4px 6px; text-align: left; vertical-align: top; }
  th { background: #eee; }
  .chip { display: inline-block; padding: 0 6px; border-radius: 3px; font-weight: 600; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .measures { margin: 0; padding-left: 18px; }
  .synthetic { border: 1px solid #b00; color: #b00; padding: 4px 8px; margin: 8px 0; font-size: 13px; }
</style>
</head>
<body>
<h1>${escape(t.title)}</h1>
<div class="meta">${escape(t.date)}: <b>${escape(b.date)}</b> · ${escape(t.zone)}: ${escape(b.timeZone)} · ${escape(t.config)}: v${b.configVersion} · ${escape(t.generated)}: ${escape(localTime(b.generatedAt, b.timeZone, lang))}</div>
${syntheticPopulation ? `<div class="synthetic">${escape(t.synthetic)}</div>` : ''}
<h2>${escape(t.changes)} (${b.changes.length})</h2>
${b.changes.length === 0 ? `<p>${escape(t.none)}</p>` : `<table id="changes"><thead><tr><th>${escape(t.time)}</th><th>${escape(t.unit)}</th><th>${escape(t.change)}</th><th>${escape(t.reason)}</th></tr></thead><tbody>\n${rows}\n</tbody></table>`}
<h2>${escape(t.summary)}</h2>
<table><tr>${summary}</tr></table>
<h2>${escape(t.units)}</h2>
<table id="units"><thead><tr><th>${escape(t.code)}</th><th>${escape(t.unit)}</th><th>${escape(t.level)}</th><th>${escape(t.since)}</th><th>${escape(t.measures)}</th></tr></thead><tbody>
${units}
</tbody></table>
</body>
</html>`;
}
