/**
 * Clearing a unit asks how it left the incident: the server requires a disposition with the step.
 * A short text field, focused at once; Enter saves (not while empty), Esc cancels. While it is
 * open no page shortcut acts: typing in the field is not one, and other keys are held here.
 */
import { useEffect, useRef, useState } from 'react';
import { useResponderText } from './strings.ts';

/** The longest disposition the server takes. */
const MAX_LENGTH = 2000;

export function DispositionDialog({ unit, saving, onSave, onCancel }: { unit: string; saving: boolean; onSave: (disposition: string) => void; onCancel: () => void }) {
  const { t } = useResponderText();
  const [text, setText] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => inputRef.current?.focus(), []);
  const disposition = text.trim();

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Tab') return;
      // An IME composing Chinese uses Enter and Esc itself: they are not ours then.
      if (event.isComposing) return;
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopImmediatePropagation();
        onCancel();
      } else if (event.key === 'Enter' && !(event.target instanceof HTMLButtonElement)) {
        event.preventDefault();
        event.stopImmediatePropagation();
        if (disposition && !saving) onSave(disposition);
      } else if (event.target !== inputRef.current) {
        // Outside the field, hold every other key from the page's shortcuts.
        event.stopImmediatePropagation();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [disposition, saving, onSave, onCancel]);

  return (
    <div className="responder-backdrop" onClick={onCancel}>
      <div className="responder-dialog" role="dialog" aria-modal="true" aria-labelledby="clear-heading" data-testid="disposition-dialog" onClick={(e) => e.stopPropagation()}>
        <h2 id="clear-heading">{t('clear.heading', { unit })}</h2>
        <label className="responder-field">
          {t('clear.label')}
          <input
            ref={inputRef}
            type="text"
            value={text}
            maxLength={MAX_LENGTH}
            placeholder={t('clear.placeholder')}
            onChange={(e) => setText(e.target.value)}
            data-testid="disposition-input"
          />
        </label>
        <p className="responder-hint">{t('clear.hint')}</p>
        <div className="responder-dialog-buttons">
          <button type="button" className="responder-button" onClick={onCancel}>{t('clear.cancel')}</button>
          <button type="button" className="responder-button is-primary" disabled={!disposition || saving} onClick={() => onSave(disposition)} data-testid="disposition-save">
            {saving ? t('step.saving') : t('clear.save')}
          </button>
        </div>
      </div>
    </div>
  );
}
