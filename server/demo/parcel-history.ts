/**
 * Synthetic lifecycle histories for demo parcels: from `planned` on, one step after another with
 * increasing dates, each by the department that usually acts (lifecycle `STEP_GUIDE`) and with
 * documents numbered the way Hangzhou's offices number theirs (`杭规证〔2024〕123号`). The numbers
 * are made up and say so nowhere on their own: the parcel they belong to is labelled synthetic.
 */
import { PARCEL_STAGES, type ParcelDocument, type ParcelStage } from '../contract/parcels.ts';
import { DEPARTMENTS, type DepartmentId, STEP_GUIDE } from '../contract/parcel-lifecycle.ts';
import { type Random, randomInt, uniform } from './random.ts';

const DAY_MS = 86_400_000;

/** One step as the demo stores it (the store adds the actor: the demo loader). */
export interface DemoParcelStep {
  step: ParcelStage;
  department: string;
  /** ISO time the step was recorded. */
  at: string;
  documents: ParcelDocument[];
}

/** Days from one stage to the next (min, max): building takes years, a title weeks. */
const DAYS_TO: Readonly<Record<Exclude<ParcelStage, 'planned'>, [number, number]>> = {
  supplied: [45, 300],
  planning_permit: [30, 180],
  construction_permit: [20, 120],
  completed: [420, 1000],
  registered: [20, 120],
  supervised: [60, 360],
};

/** Chance that a parcel whose next step's date has come has taken it (some projects stall). */
const TAKES_NEXT_STEP = 0.85;

/** `{year}` and `{n}` are filled in; `n` counts per title and year, so numbers never repeat. */
const NUMBER_FORMATS: Readonly<Record<string, (year: number, n: number) => string>> = {
  控制性详细规划批复: (y, n) => `杭政函〔${y}〕${n}号`,
  规划条件: (y, n) => `杭规条〔${y}〕${String(n).padStart(4, '0')}号`,
  国有建设用地使用权出让合同: (y, n) => `杭土出〔${y}〕${n}号`,
  划拨决定书: (y, n) => `杭土划〔${y}〕${n}号`,
  建设工程规划许可证: (y, n) => `杭规证〔${y}〕${n}号`,
  建筑工程施工许可证: (y, n) => `杭建施〔${y}〕${n}号`,
  竣工验收备案表: (y, n) => `杭建竣备〔${y}〕${n}号`,
  规划核实意见: (y, n) => `杭规核〔${y}〕${n}号`,
  不动产权证书: (y, n) => `浙（${y}）杭州市不动产权第${String(n).padStart(7, '0')}号`,
  批后监管记录: (y, n) => `杭执监〔${y}〕${n}号`,
};

/** Issues document numbers: one running count per title and year, as each office keeps its own. */
export class DocumentNumbers {
  private readonly next = new Map<string, number>();

  issue(title: string, year: number): string {
    const key = `${title}/${year}`;
    const n = (this.next.get(key) ?? 0) + 1;
    this.next.set(key, n);
    const format = NUMBER_FORMATS[title];
    return format ? format(year, n) : `杭〔${year}〕${n}号`;
  }
}

const departmentName = (id: DepartmentId): string => DEPARTMENTS[id]['zh-CN'];
const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Who acts and what is issued at `stage`: grants go through the trading centre, allocations do not. */
function stepActs(stage: ParcelStage, rand: Random): { department: string; titles: string[] } {
  const guide = STEP_GUIDE[stage];
  const titles = guide.documents.map((d) => d['zh-CN']);
  if (stage === 'supplied') {
    // Most land is granted (出让) after a public auction; some is allocated (划拨) for public use.
    return rand() < 0.8
      ? { department: departmentName('trading'), titles: [titles[0] ?? '国有建设用地使用权出让合同'] }
      : { department: departmentName('planning'), titles: [titles[1] ?? '划拨决定书'] };
  }
  return { department: departmentName(guide.departments[0] ?? 'planning'), titles };
}

/**
 * The steps of a parcel coded in `year`: `planned` on a working-day morning of that year (before
 * `nowMs`), then each later step some weeks or months after the one before, while its date has come.
 */
export function generateHistory(rand: Random, year: number, nowMs: number, numbers: DocumentNumbers): DemoParcelStep[] {
  const yearStart = Date.UTC(year, 0, 1);
  const yearEnd = Math.min(Date.UTC(year + 1, 0, 1), nowMs - DAY_MS);
  // Office hours in China (UTC+8) are 01:00–09:00 UTC.
  const officeTime = (dayMs: number): number => dayMs + (1 + uniform(rand, 0, 8)) * 3_600_000;
  let day = yearStart + Math.floor(uniform(rand, 0, Math.max(1, (yearEnd - yearStart) / DAY_MS))) * DAY_MS;
  const steps: DemoParcelStep[] = [];
  for (const stage of PARCEL_STAGES) {
    if (stage !== 'planned') {
      const [min, max] = DAYS_TO[stage];
      day += randomInt(rand, min, max) * DAY_MS;
      if (day + DAY_MS > nowMs || rand() >= TAKES_NEXT_STEP) break;
    }
    const at = Math.min(officeTime(day), nowMs - 60_000);
    const acts = stepActs(stage, rand);
    const issuedYear = new Date(at).getUTCFullYear();
    steps.push({
      step: stage,
      department: acts.department,
      at: new Date(at).toISOString(),
      documents: acts.titles.map((title) => ({ title, number: numbers.issue(title, issuedYear), issuedAt: isoDate(at) })),
    });
  }
  return steps;
}
