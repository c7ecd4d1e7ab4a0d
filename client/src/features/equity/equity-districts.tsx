/** The underserved and silent districts, each with why it is flagged, and the low-access hotspots (a click flies there). */
import type { EquityResult } from '#contract/equity.ts';
import { useI18n } from '../../i18n/i18n.ts';
import { districtRows, formatAccess, formatCount } from './equity-view-model.ts';

export function DistrictTable({ result }: { result: EquityResult }) {
  const { t, lang } = useI18n();
  const rows = districtRows(result, lang);
  return (
    <section className="equity-section">
      <h3>{t('equity.districts')}</h3>
      {rows.length === 0 ? (
        <p className="muted" data-testid="equity-districts-none">{t('equity.districtsNone')}</p>
      ) : (
        <table className="equity-table" data-testid="equity-districts">
          <thead>
            <tr>
              <th scope="col">{t('equity.col.name')}</th>
              <th scope="col">{t('equity.col.mean')}</th>
              <th scope="col">{t('equity.col.zero')}</th>
              <th scope="col">{t('equity.col.appeals')}</th>
              <th scope="col">{t('equity.col.flag')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.code} data-code={row.code} data-silent={row.silent} title={t(row.reason.key, row.reason.params)}>
                <th scope="row">
                  {row.name}
                  <span className="equity-reason">{t(row.reason.key, row.reason.params)}</span>
                </th>
                <td>{row.meanAccess}</td>
                <td>{row.zeroAccessShare}</td>
                <td>{row.appealsPer10k}</td>
                <td>
                  <span className={`equity-flag ${row.silent ? 'is-silent' : 'is-underserved'}`}>
                    {t(row.silent ? 'equity.silent' : 'equity.underserved')}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export interface HotspotListProps {
  result: EquityResult;
  focused: string | null;
  onFocus: (id: string, bbox: [number, number, number, number]) => void;
}

export function HotspotList({ result, focused, onFocus }: HotspotListProps) {
  const { t, lang } = useI18n();
  const names = new Map(result.regions.map((r) => [r.code, r.name]));
  return (
    <section className="equity-section">
      <h3>{t('equity.hotspots')}</h3>
      {result.hotspots.length === 0 ? (
        <p className="muted">{t('equity.hotspotsNone')}</p>
      ) : (
        <ol className="equity-hotspots" data-testid="equity-hotspots">
          {result.hotspots.map((h) => (
            <li key={h.id}>
              <button type="button" aria-pressed={h.id === focused} onClick={() => onFocus(h.id, h.bbox)} data-id={h.id}>
                <strong>{(h.regionCode && names.get(h.regionCode)) ?? h.regionCode ?? '—'}</strong>{' '}
                {t('equity.hotspot', { cells: h.cells, population: formatCount(h.population, lang), mean: formatAccess(h.meanAccess, lang) })}
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
