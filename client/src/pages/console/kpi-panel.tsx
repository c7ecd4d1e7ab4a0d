/**
 * The console's KPI table: the response clocks and counts from `GET /api/v1/kpis` by district or by
 * agency, for today or the last seven days, sortable by any column (a heading is a button, so the
 * keyboard sorts too), exported as CSV. Opened from the top bar; the console's default view is unchanged.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { KpiAnswer } from '#contract/index.ts';
import { requestJson } from '../../api/city-api.ts';
import { messageOf } from '../../api/error-message.ts';
import { currentTimeZone, useTimeZone } from '../../time/time-zone.ts';
import { download } from '../planner/exports.ts';
import { exportFileName } from '../planner/district-comparison.ts';
import {
  KPI_COLUMNS,
  cellText,
  kpiCsv,
  kpiRows,
  nextOrder,
  periodRange,
  sortKpiRows,
  type KpiColumn,
  type KpiGrouping,
  type KpiOrder,
  type KpiPeriod,
} from './kpi-table-model.ts';
import { useKpiText, type KpiTranslate } from './kpi-strings.ts';
import './kpi-panel.css';

type Load = { phase: 'loading' } | { phase: 'error'; message: string } | { phase: 'loaded'; answer: KpiAnswer };

const headerKey = (column: KpiColumn, grouping: KpiGrouping) => (column === 'name' ? (`col.name.${grouping}` as const) : (`col.${column}` as const));
const headersFor = (t: KpiTranslate, grouping: KpiGrouping) =>
  Object.fromEntries(KPI_COLUMNS.map((c) => [c, t(headerKey(c, grouping))])) as Record<KpiColumn, string>;

export function KpiToggle({ open, onToggle }: { open: boolean; onToggle: () => void }) {
  const { t } = useKpiText();
  return (
    <button type="button" className="lang-toggle kpi-toggle" aria-pressed={open} onClick={onToggle} title={t('buttonHint')} data-testid="kpi-toggle">
      {t('button')}
    </button>
  );
}

export function KpiPanel({ regionNames, onClose }: { regionNames: ReadonlyMap<string, string>; onClose: () => void }) {
  const { t, lang } = useKpiText();
  const zone = useTimeZone();
  const [grouping, setGrouping] = useState<KpiGrouping>('region');
  const [period, setPeriod] = useState<KpiPeriod>('today');
  const [order, setOrder] = useState<KpiOrder>({ column: 'count', descending: true });
  const [load, setLoad] = useState<Load>({ phase: 'loading' });

  useEffect(() => {
    const abort = new AbortController();
    const { fromMs, toMs } = periodRange(period, Date.now(), zone);
    const query = new URLSearchParams({ from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), groupBy: grouping });
    setLoad({ phase: 'loading' });
    requestJson<KpiAnswer>(`/kpis?${query}`, abort.signal)
      .then((answer) => setLoad({ phase: 'loaded', answer }))
      .catch((error: unknown) => {
        if (!abort.signal.aborted) setLoad({ phase: 'error', message: messageOf(error) });
      });
    return () => abort.abort();
  }, [grouping, period, zone]);

  const rows = useMemo(() => {
    if (load.phase !== 'loaded') return [];
    const nameOf = (key: string | null) =>
      key === null ? t(grouping === 'region' ? 'outsideRegion' : 'noAgency') : grouping === 'region' ? (regionNames.get(key) ?? key) : key;
    return sortKpiRows(kpiRows(load.answer.groups, nameOf), order, lang);
  }, [load, grouping, regionNames, order, lang, t]);

  const exportCsv = useCallback(() => {
    const csv = kpiCsv(rows, headersFor(t, grouping));
    download(new Blob([csv], { type: 'text/csv;charset=utf-8' }), exportFileName(`kpis-${grouping}-${period}`, 'csv', Date.now(), currentTimeZone()));
  }, [rows, t, grouping, period]);

  return (
    <section className="panel kpi-panel" data-testid="kpi-panel" aria-labelledby="kpi-panel-heading">
      <div className="kpi-head">
        <h2 id="kpi-panel-heading">{t('heading')}</h2>
        <div className="kpi-switch" role="group" aria-label={t('heading')}>
          {(['region', 'agency'] as const).map((g) => (
            <button key={g} type="button" aria-pressed={grouping === g} onClick={() => setGrouping(g)} data-testid={`kpi-group-${g}`}>
              {t(`group.${g}`)}
            </button>
          ))}
        </div>
        <div className="kpi-switch" role="group">
          {(['today', 'week'] as const).map((p) => (
            <button key={p} type="button" aria-pressed={period === p} onClick={() => setPeriod(p)} data-testid={`kpi-period-${p}`}>
              {t(`period.${p}`)}
            </button>
          ))}
        </div>
        <button type="button" onClick={exportCsv} disabled={load.phase !== 'loaded' || rows.length === 0} data-testid="kpi-export">
          {t('export')}
        </button>
        <button type="button" className="detail-close" onClick={onClose} aria-label={t('close')} title={t('close')}>
          ×
        </button>
      </div>
      <p className="kpi-note">{t('note')}</p>
      {load.phase === 'loading' && <p className="kpi-note">{t('loading')}</p>}
      {load.phase === 'error' && <p className="kpi-note" role="alert">{t('error', { message: load.message })}</p>}
      {load.phase === 'loaded' && rows.length === 0 && <p className="kpi-note">{t('empty')}</p>}
      {rows.length > 0 && (
        <div className="kpi-scroll">
          <table className="kpi-table" data-testid="kpi-table" data-grouping={grouping} data-period={period}>
            <thead>
              <tr>
                {KPI_COLUMNS.map((column) => (
                  <th key={column} scope="col" aria-sort={order.column === column ? (order.descending ? 'descending' : 'ascending') : 'none'}>
                    <button type="button" onClick={() => setOrder((held) => nextOrder(held, column))} title={t('sortHint')} data-column={column}>
                      {t(headerKey(column, grouping))}
                      <span aria-hidden="true">{order.column === column ? (order.descending ? ' ▼' : ' ▲') : ''}</span>
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.key ?? ''} data-key={row.key ?? ''}>
                  {KPI_COLUMNS.map((column) =>
                    column === 'name' ? <th key={column} scope="row">{row.name}</th> : <td key={column}>{cellText(row, column)}</td>,
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
