/**
 * The district comparison table: one row per district, sortable by any column with a click or
 * Enter on its header (a second press reverses it), and the facility kind its access columns show.
 */
import { useEffect, useRef } from 'react';
import { FACILITY_KINDS, LEVEL_COLOURS } from '#contract/index.ts';
import { levelName } from '../../i18n/i18n.ts';
import { formatAccess, kindName } from '../../features/equity/equity-view-model.ts';
import type { ComparisonRow, SortKey, SortOrder } from './district-comparison.ts';
import { useDeskText, type DeskKey } from './strings.ts';

export interface DistrictTableProps {
  rows: readonly ComparisonRow[];
  /** Every source has answered: the numbers are complete (written as `data-ready`). */
  ready: boolean;
  order: SortOrder;
  onSort: (key: SortKey) => void;
  kind: string;
  onKind: (kind: string) => void;
  /** The district picked on the map or here: its row is marked and scrolled into view. */
  focused: string | null;
  onFocus: (code: string | null) => void;
}

const COLUMNS: readonly { key: SortKey; label: DeskKey; numeric: boolean; wrap?: boolean }[] = [
  { key: 'name', label: 'col.name', numeric: false },
  { key: 'population', label: 'col.population', numeric: true },
  { key: 'risk', label: 'col.risk', numeric: false },
  { key: 'open', label: 'col.open', numeric: true, wrap: true },
  { key: 'access', label: 'col.access', numeric: true, wrap: true },
  { key: 'zero', label: 'col.zero', numeric: true, wrap: true },
  { key: 'silent', label: 'col.silent', numeric: false, wrap: true },
];

export function DistrictTable({ rows, ready, order, onSort, kind, onKind, focused, onFocus }: DistrictTableProps) {
  const { t, lang } = useDeskText();
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  useEffect(() => {
    if (focused) bodyRef.current?.querySelector(`tr[data-code="${CSS.escape(focused)}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [focused]);
  const count = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
  const score = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const share = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 });
  const none = t('value.none');
  return (
    <section className="panel desk-table-panel" aria-labelledby="desk-table-heading">
      <div className="desk-table-head">
        <h2 id="desk-table-heading">{t('table.heading')}</h2>
        <label className="desk-kind">
          {t('table.kind')}
          <select value={kind} onChange={(e) => onKind(e.target.value)} data-testid="desk-kind">
            {FACILITY_KINDS.map((k) => (
              <option key={k} value={k}>{kindName(k, lang)}</option>
            ))}
          </select>
        </label>
      </div>
      {!ready && <p className="muted" role="status">{t('table.loading')}</p>}
      <div className="desk-table-scroll">
        <table className="desk-table" data-testid="district-table" data-ready={ready} data-sort={`${order.key}:${order.descending ? 'desc' : 'asc'}`}>
          <caption className="muted">{t('table.caption')}</caption>
          <thead>
            <tr>
              {COLUMNS.map(({ key, label, numeric, wrap }) => {
                const sorted = order.key === key;
                return (
                  <th
                    key={key}
                    scope="col"
                    className={[numeric && 'is-numeric', wrap && 'is-wrap'].filter(Boolean).join(' ') || undefined}
                    aria-sort={sorted ? (order.descending ? 'descending' : 'ascending') : 'none'}
                  >
                    <button type="button" onClick={() => onSort(key)} data-sort-key={key}>
                      {t(label, { kind: kindName(kind, lang) })}
                      <span className="desk-sort-mark" aria-hidden="true">{sorted ? (order.descending ? '▼' : '▲') : '↕'}</span>
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody ref={bodyRef}>
            {rows.length === 0 && ready && (
              <tr>
                <td colSpan={COLUMNS.length} className="muted">{t('table.empty')}</td>
              </tr>
            )}
            {rows.map((row) => (
              <tr key={row.code} data-code={row.code} className={row.code === focused ? 'is-focused' : undefined}>
                <th scope="row">
                  <button type="button" className="desk-row-name" aria-pressed={row.code === focused} onClick={() => onFocus(row.code === focused ? null : row.code)}>
                    {row.name}
                  </button>
                </th>
                <td className="is-numeric">{row.population === null ? none : count.format(row.population)}</td>
                <td data-level={row.level ?? ''}>
                  {row.level === null ? (
                    none
                  ) : (
                    <span className="desk-level">
                      <span className="legend-swatch" style={{ background: LEVEL_COLOURS[row.level] }} aria-hidden="true" />
                      {levelName(row.level, lang)}
                      <span className="desk-score">{row.score === null ? '' : score.format(row.score)}</span>
                    </span>
                  )}
                </td>
                <td className="is-numeric">{count.format(row.openIncidents)}</td>
                <td className="is-numeric">{row.meanAccess === null ? none : formatAccess(row.meanAccess, lang)}</td>
                <td className="is-numeric">{row.zeroAccessShare === null ? none : share.format(row.zeroAccessShare)}</td>
                <td>{row.silent === null ? none : row.silent ? <span className="desk-silent">{t('value.silent')}</span> : t('value.no')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
