/** Title, connection state, incident count, demo-data badge and the language switch. */
import type { ConnectionState } from '../../live/live-client.ts';
import { useI18n } from '../../i18n.ts';
import { ConnectionIndicator } from './connection-indicator.tsx';

export interface TopBarProps {
  connection: ConnectionState | null;
  incidentCount: number | null;
  synthetic: boolean;
}

export function TopBar({ connection, incidentCount, synthetic }: TopBarProps) {
  const { t, toggle } = useI18n();
  return (
    <header className="top-bar">
      <h1>
        {t('title')} <span className="title-latin">· {t('titleLatin')}</span>
      </h1>
      {connection && <ConnectionIndicator state={connection} />}
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
      <button type="button" className="lang-toggle" onClick={toggle} title={t('lang.toggleHint')} aria-keyshortcuts="L">
        {t('lang.toggle')}
      </button>
    </header>
  );
}
