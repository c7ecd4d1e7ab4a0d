/** The incident workflow (docs/domain.md §4): which status may follow which, with messages that say why not. */
import { NEXT_STATUSES, type Status } from '../../contract/incidents.ts';

export type TransitionCheck = { ok: true } | { ok: false; message: string };

/** Whether an incident at `from` may move to `to`; the refusal names the allowed steps. */
export function checkTransition(id: string, from: Status, to: Status): TransitionCheck {
  const allowed = NEXT_STATUSES[from];
  if (allowed.includes(to)) return { ok: true };
  if (allowed.length === 0) {
    return { ok: false, message: `incident ${id} is ${from}, which is final: no further status change is possible` };
  }
  const what = from === to ? `is already ${to}` : `is ${from} and cannot become ${to}`;
  return { ok: false, message: `incident ${id} ${what}; allowed next: ${allowed.join(' or ')}` };
}
