/**
 * Asks before a status change: a responder under stress must not resolve an incident by a stray
 * key. Enter or Y confirms, Esc cancels; focus starts on Confirm and stays inside the dialog.
 */
import { useEffect, useRef } from 'react';
import type { Incident, Status } from '#contract/index.ts';
import { actionKey, statusKey } from '../../i18n/i18n.ts';
import { incidentText } from '../../features/incidents/incident-text.ts';
import { useResponderText } from './strings.ts';

export type Action = Extract<Status, 'acknowledged' | 'dispatched' | 'resolved'>;

export function ConfirmDialog({ incident, action, saving, onConfirm, onCancel }: { incident: Incident; action: Action; saving: boolean; onConfirm: () => void; onCancel: () => void }) {
  const { t, shared, lang } = useResponderText();
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => confirmRef.current?.focus(), []);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      // Tab moves between the two buttons as usual.
      if (event.key === 'Tab') return;
      if (event.key === 'Escape') onCancel();
      else if ((event.key === 'Enter' || event.key === 'y' || event.key === 'Y') && !saving) onConfirm();
      // Captured before the page's own shortcuts: none of them may act while the question is open.
      event.preventDefault();
      event.stopImmediatePropagation();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [onConfirm, onCancel, saving]);
  const actionName = shared(actionKey(action));
  const text = incidentText(incident, lang);
  return (
    <div className="responder-backdrop" onClick={onCancel}>
      <div
        className="responder-dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="confirm-heading"
        aria-describedby="confirm-change"
        data-testid="confirm-dialog"
        data-action={action}
        onClick={(event) => event.stopPropagation()}
      >
        <h2 id="confirm-heading">{t('confirm.heading', { action: actionName })}</h2>
        <p className="responder-dialog-title" data-proper-name lang={text.language}>{text.title}</p>
        <p id="confirm-change">{t('confirm.change', { from: shared(statusKey(incident.status)), to: shared(statusKey(action)) })}</p>
        <div className="responder-dialog-buttons">
          <button type="button" className="responder-button" onClick={onCancel} data-testid="confirm-no">
            {t('confirm.no')}
          </button>
          <button ref={confirmRef} type="button" className="responder-button is-primary" onClick={onConfirm} disabled={saving} data-testid="confirm-yes">
            {saving ? t('confirm.saving') : t('confirm.yes')}
          </button>
        </div>
      </div>
    </div>
  );
}
