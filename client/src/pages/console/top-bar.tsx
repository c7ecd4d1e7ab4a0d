/**
 * Title, the time zone every time is in, connection state, incident count, demo-data badge, the
 * drill list's switch, the view switch and the language switch.
 */
import type { ConnectionState } from '../../live/live-client.ts';
import type { DrillSnapshot } from '../../session/drill-store.ts';
import type { ViewMode } from '../../features/equity/use-view-mode.ts';
import { useI18n } from '../../i18n/i18n.ts';
import { ZoneBadge } from '../../time/zone-badge.tsx';
import { ConnectionIndicator } from '../../shell/connection-indicator.tsx';
import { DrillToggle } from './drill-panel.tsx';
import { KpiToggle } from './kpi-panel.tsx';

export interface TopBarProps {
  connection: ConnectionState | null;
  /** The server says its database is out. */
  storeDown?: boolean;
  incidentCount: number | null;
  synthetic: boolean;
  /** The view shown, with a switch to the other one (key `E`); `null`: no switch (signed out). */
  view?: ViewMode | null;
  onToggleView?: () => void;
  /** The drill list's switch, with its own count; `null`: none (signed out, or the equity view). */
  drills?: { drills: DrillSnapshot; open: boolean; onToggle: () => void } | null;
  /** The KPI table's switch; `null`: none (signed out). */
  kpis?: { open: boolean; onToggle: () => void } | null;
}

export function TopBar({ connection, storeDown = false, incidentCount, synthetic, view = null, onToggleView, drills = null, kpis = null }: TopBarProps) {
  const { t, toggle } = useI18n();
  return (
    <header className="top-bar">
      <h1>
        {t('title')} <span className="title-latin">· {t('titleLatin')}</span>
      </h1>
      <ZoneBadge />
      {connection && <ConnectionIndicator state={connection} storeDown={storeDown} />}
      {incidentCount !== null && (
        <div className="incident-count" data-testid="incident-count">
          {t('incidentCount', { n: incidentCount.toLocaleString() })}
        </div>
      )}
      {synthetic && (
        <div className="demo-badge" data-testid="demo-badge" lang="zh-CN">
          合成演示数据 / <span lang="en">synthetic demo data</span>
        </div>
      )}
      <span className="spacer" />
      {kpis && <KpiToggle {...kpis} />}
      {drills && <DrillToggle {...drills} />}
      {view && (
        <button
          type="button"
          className="lang-toggle view-toggle"
          onClick={onToggleView}
          title={t('view.toggleHint')}
          aria-keyshortcuts="E"
          aria-pressed={view === 'equity'}
          data-testid="view-toggle"
          data-view={view}
        >
          {t(view === 'equity' ? 'view.risk' : 'view.equity')}
        </button>
      )}
      <button type="button" className="lang-toggle" onClick={toggle} title={t('lang.toggleHint')} aria-keyshortcuts="L">
        {t('lang.toggle')}
      </button>
    </header>
  );
}
