/**
 * The parcel lifecycle (docs/domain.md §6.3): `planned → supplied → planning_permit → construction_permit →
 * completed → registered → supervised`, one step at a time, never skipped, never reversed. Which
 * department usually acts at each step and which documents it issues are listed here so every
 * screen names them the same way; the step itself checks only order and that documents came.
 */
import { PARCEL_STAGES, type ParcelStage } from './parcels.ts';

export interface Department {
  'zh-CN': string;
  en: string;
}

/** The departments a land code's life passes through. */
export const DEPARTMENTS = {
  planning: { 'zh-CN': '自然资源和规划局', en: 'Natural Resources and Planning Bureau' },
  trading: { 'zh-CN': '公共资源交易中心', en: 'Public Resources Trading Centre' },
  construction: { 'zh-CN': '住房和城乡建设局', en: 'Housing and Urban-Rural Development Bureau' },
  registration: { 'zh-CN': '不动产登记中心', en: 'Real Estate Registration Centre' },
  enforcement: { 'zh-CN': '综合行政执法局', en: 'Comprehensive Administrative Law Enforcement Bureau' },
} as const satisfies Record<string, Department>;
export type DepartmentId = keyof typeof DEPARTMENTS;

/** Who acts at each step and what it typically issues (titles as printed on the documents). */
export const STEP_GUIDE: Readonly<Record<ParcelStage, { departments: readonly DepartmentId[]; documents: readonly Department[] }>> = {
  planned: { departments: ['planning'], documents: [{ 'zh-CN': '控制性详细规划批复', en: 'Regulatory plan approval' }, { 'zh-CN': '规划条件', en: 'Planning conditions' }] },
  supplied: { departments: ['planning', 'trading'], documents: [{ 'zh-CN': '国有建设用地使用权出让合同', en: 'Land-use right grant contract' }, { 'zh-CN': '划拨决定书', en: 'Allocation decision' }] },
  planning_permit: { departments: ['planning'], documents: [{ 'zh-CN': '建设工程规划许可证', en: 'Construction project planning permit' }] },
  construction_permit: { departments: ['construction'], documents: [{ 'zh-CN': '建筑工程施工许可证', en: 'Construction works permit' }] },
  completed: { departments: ['construction', 'planning'], documents: [{ 'zh-CN': '竣工验收备案表', en: 'Completion acceptance record' }, { 'zh-CN': '规划核实意见', en: 'Planning verification' }] },
  registered: { departments: ['registration'], documents: [{ 'zh-CN': '不动产权证书', en: 'Real estate title certificate' }] },
  supervised: { departments: ['planning', 'enforcement'], documents: [{ 'zh-CN': '批后监管记录', en: 'Post-approval inspection record' }] },
};

/** Position of a stage in the lifecycle, 0 for `planned`. */
export const stageIndex = (stage: ParcelStage): number => PARCEL_STAGES.indexOf(stage);

/** The stage after `stage`, or null once supervised. */
export function nextStage(stage: ParcelStage): ParcelStage | null {
  return PARCEL_STAGES[stageIndex(stage) + 1] ?? null;
}

export type StepCheck = { ok: true } | { ok: false; expected: ParcelStage | null; message: string };

/** Whether a parcel at `current` may take step `requested` now; if not, which step it expects. */
export function checkStep(current: ParcelStage, requested: ParcelStage): StepCheck {
  const expected = nextStage(current);
  if (requested === expected) return { ok: true };
  if (expected === null) return { ok: false, expected, message: `the parcel is already at the last stage (${current}); no further step is possible` };
  const kind = stageIndex(requested) <= stageIndex(current) ? 'goes back' : 'skips a step';
  const verb = requested === current ? `repeats the current stage ${current}` : `${kind} (from ${current} to ${requested})`;
  return { ok: false, expected, message: `step "${requested}" ${verb}: the next step must be "${expected}"` };
}
