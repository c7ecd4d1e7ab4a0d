/**
 * The parcel search box: a full land code opens its parcel as soon as it is typed, a mistyped one
 * is named at once (no request), anything else lists matching codes, names and addresses below
 * (↑/↓ to pick, Enter to open, Esc to close the list). The Scan button opens the camera.
 */
import { useEffect, useMemo, useState, type KeyboardEvent, type Ref } from 'react';
import type { ParcelFeature } from '#contract/index.ts';
import { classifyParcelQuery, stepHighlight, type ParcelQuery } from './parcel-query.ts';
import { landUseName, stageName, usePlannerText, type PlannerTranslate } from './strings.ts';
import { SEARCH_LIMIT, useParcelSearch } from './use-parcel-search.ts';

export interface ParcelSearchProps {
  text: string;
  onTextChange: (text: string) => void;
  /** Opens a parcel (a code with a valid check character). */
  onOpen: (code: string) => void;
  onScan: () => void;
  /** Why the last parcel asked for did not open (not found, server down), shown under the box. */
  openProblem: string | null;
  inputRef?: Ref<HTMLInputElement>;
}

const LIST_ID = 'parcel-search-results';

/** The message a code-shaped but impossible query gets; `null` for anything else. */
function queryProblem(query: ParcelQuery, t: PlannerTranslate): { kind: string; text: string } | null {
  if (query.kind === 'mistyped') return { kind: 'mistyped', text: t('search.mistyped', { code: query.code, given: query.given, expected: query.expected }) };
  if (query.kind === 'malformed' && query.part === 'sequence') return { kind: 'malformed', text: t('search.badSequence', { code: query.code }) };
  if (query.kind === 'malformed') return { kind: 'malformed', text: t('search.badYear', { code: query.code, year: query.value }) };
  return null;
}

export function ParcelSearch({ text, onTextChange, onOpen, onScan, openProblem, inputRef }: ParcelSearchProps) {
  const { t, lang } = usePlannerText();
  const query = useMemo(() => classifyParcelQuery(text), [text]);
  const search = useParcelSearch(query.kind === 'search' ? query.q : null);
  const [highlight, setHighlight] = useState<number | null>(null);
  const [listOpen, setListOpen] = useState(false);

  const items: ParcelFeature[] = search.phase === 'done' ? search.items : [];
  // A new list starts without a highlight: Enter must not open something the person has not seen.
  useEffect(() => setHighlight(null), [search]);

  const problem = queryProblem(query, t);
  const showList = listOpen && query.kind === 'search' && search.phase !== 'idle';

  const open = (code: string) => {
    setListOpen(false);
    onOpen(code);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setListOpen(true);
      setHighlight((h) => stepHighlight(items.length, h, event.key === 'ArrowDown' ? 1 : -1));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (query.kind === 'code') open(query.code);
      else if (highlight !== null && items[highlight]) open(items[highlight].properties.code);
      else if (items.length === 1 && items[0]) open(items[0].properties.code);
    } else if (event.key === 'Escape' && showList) {
      // The list closes first; a second Esc reaches the drawer.
      event.stopPropagation();
      event.nativeEvent.stopImmediatePropagation();
      setListOpen(false);
    }
  };

  const message = problem ?? (openProblem ? { kind: 'open', text: openProblem } : search.phase === 'failed' ? { kind: 'search', text: t('search.error', { message: search.message }) } : null);
  const activeId = highlight !== null && items[highlight] ? `parcel-option-${highlight}` : undefined;

  return (
    <section className="panel planner-search" aria-label={t('search.label')}>
      <div className="planner-search-row">
        <input
          ref={inputRef}
          type="search"
          className="planner-search-input"
          data-testid="parcel-search"
          data-query={query.kind}
          role="combobox"
          aria-label={t('search.label')}
          aria-expanded={showList}
          aria-controls={LIST_ID}
          aria-autocomplete="list"
          aria-activedescendant={activeId}
          aria-invalid={problem !== null}
          aria-describedby="parcel-search-message"
          placeholder={t('search.placeholder')}
          autoComplete="off"
          spellCheck={false}
          maxLength={120}
          value={text}
          onChange={(event) => {
            onTextChange(event.target.value);
            setListOpen(true);
          }}
          onFocus={() => setListOpen(true)}
          onBlur={() => setListOpen(false)}
          onKeyDown={onKeyDown}
        />
        <button type="button" className="planner-scan-button" data-testid="parcel-scan" onClick={onScan} title={t('scan.hint')}>
          <svg className="planner-scan-icon" viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.6">
            <path d="M1 5V1h4M11 1h4v4M15 11v4h-4M5 15H1v-4" />
            <path d="M5 5h2v2H5zM9 9h2v2H9zM9 5h2M5 9v2" />
          </svg>
          {t('scan.button')}
        </button>
      </div>
      {message && (
        <p id="parcel-search-message" className="planner-message" role="alert" data-testid="parcel-search-message" data-kind={message.kind}>
          {message.text}
        </p>
      )}
      {showList && (
        <div className="planner-results">
          {search.phase === 'searching' && items.length === 0 && <p className="muted">{t('search.searching')}</p>}
          {search.phase === 'done' && items.length === 0 && <p className="muted">{t('search.none', { q: search.q })}</p>}
          <ul id={LIST_ID} role="listbox" data-testid="parcel-search-results" aria-label={t('search.label')}>
            {items.map((parcel, index) => (
              <li
                key={parcel.properties.code}
                id={`parcel-option-${index}`}
                role="option"
                aria-selected={index === highlight}
                data-code={parcel.properties.code}
                // mousedown, not click: the input keeps its focus and the list is not closed first.
                onMouseDown={(event) => {
                  event.preventDefault();
                  open(parcel.properties.code);
                }}
                onMouseEnter={() => setHighlight(index)}
              >
                <span className="planner-result-code">{parcel.properties.code}</span>
                <span className="planner-result-name">{parcel.properties.name}</span>
                <span className="planner-result-meta">
                  {landUseName(parcel.properties.landUse, lang)} · {stageName(parcel.properties.stage, lang)}
                  {parcel.properties.address ? ` · ${parcel.properties.address}` : ''}
                </span>
              </li>
            ))}
          </ul>
          {search.phase === 'done' && search.truncated && <p className="muted planner-results-more">{t('search.more', { n: SEARCH_LIMIT })}</p>}
          <p className="keys-hint">{t('search.hint')}</p>
        </div>
      )}
    </section>
  );
}
