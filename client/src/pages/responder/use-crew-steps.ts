/**
 * Records a unit's step from the console (`PATCH /api/v1/assignments/{id}`): the answer goes into
 * the page's assignments at once (the event follows), and a refusal is said in the page's
 * language from the assignment as read again after it — the server's own text is English, and
 * what it refused is no longer what the page showed.
 */
import { useCallback, useState } from 'react';
import type { Assignment, Unit } from '#contract/index.ts';
import { ApiError, requestJson } from '../../api/city-api.ts';
import type { AssignmentStore } from '../../session/assignment-store.ts';
import { stepRefusal, type CrewStep } from './crew-steps.ts';
import { useResponderText } from './strings.ts';

export type PageMessage = { kind: 'error' | 'done'; text: string };

const assignmentPath = (id: string) => `/assignments/${encodeURIComponent(id)}`;

export function useCrewSteps({ store, ownUnitId, unitById, onMessage }: {
  store: AssignmentStore;
  /** The unit the signed-in token speaks for, if any. */
  ownUnitId: string | null;
  unitById: (id: string) => Unit | undefined;
  onMessage: (message: PageMessage) => void;
}): { saving: boolean; record: (assignment: Assignment, step: CrewStep, incidentClosed: boolean, disposition?: string) => Promise<boolean> } {
  const { t, lang } = useResponderText();
  const [saving, setSaving] = useState(false);
  const callSign = useCallback((id: string) => unitById(id)?.callSign ?? id, [unitById]);

  const record = useCallback(async (assignment: Assignment, step: CrewStep, incidentClosed: boolean, disposition?: string): Promise<boolean> => {
    const unit = callSign(assignment.unitId);
    const stepName = t(`step.${step}`);
    setSaving(true);
    try {
      const body = step === 'cleared' ? { status: step, disposition } : { status: step };
      const answer = await requestJson<Assignment>(assignmentPath(assignment.id), undefined, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      store.load([answer]);
      onMessage({ kind: 'done', text: t('step.done', { unit, step: t(`progress.${step}`) }) });
      return true;
    } catch (error) {
      const code = error instanceof ApiError ? error.status : null;
      let current = assignment.status;
      if (code === 409) {
        const fresh = await requestJson<Assignment>(assignmentPath(assignment.id)).catch(() => null);
        if (fresh) {
          store.load([fresh]);
          current = fresh.status;
        }
      }
      const refusal = stepRefusal(code, step, current, incidentClosed, assignment.unitId, ownUnitId);
      const list = (steps: readonly CrewStep[]) => steps.map((s) => t(`step.${s}`)).join(lang === 'en' ? ', ' : '、');
      const text = (() => {
        switch (refusal.kind) {
          case 'conflict': return t('step.conflict', { step: stepName, unit, status: t(`progress.${refusal.status}`), allowed: list(refusal.allowed) });
          case 'final': return t('step.final', { step: stepName, unit, status: t(`progress.${refusal.status}`) });
          case 'closed': return t('step.closed', { step: stepName });
          case 'other-unit': return t('step.otherUnit', { own: callSign(refusal.ownUnitId), unit });
          case 'forbidden': return t('step.forbidden');
          case 'not-found': return t('step.notFound');
          case 'other': return t('error.other', { code: refusal.code ?? '—' });
        }
      })();
      onMessage({ kind: 'error', text });
      return false;
    } finally {
      setSaving(false);
    }
  }, [store, ownUnitId, callSign, onMessage, t, lang]);

  return { saving, record };
}
