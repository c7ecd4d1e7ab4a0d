/** The desk's top bar: title, the time zone, connection, the map-layer switch, the two exports and the language switch. */
import { useI18n } from '../../i18n/i18n.ts';
import type { ConnectionState } from '../../live/live-client.ts';
import { ZoneBadge } from '../../time/zone-badge.tsx';
import { ConnectionIndicator } from '../../shell/connection-indicator.tsx';
import { useDeskText } from './strings.ts';

export type DeskLayer = 'risk' | 'equity';

export interface DeskBarProps {
  connection: ConnectionState | null;
  /** The server says its database is out. */
  storeDown?: boolean;
  layer: DeskLayer;
  onLayer: (layer: DeskLayer) => void;
  canExport: boolean;
  exporting: boolean;
  exportError: string | null;
  onExportCsv: () => void;
  onExportPng: () => void;
}

const LAYERS: readonly DeskLayer[] = ['risk', 'equity'];

export function DeskBar({ connection, storeDown = false, layer, onLayer, canExport, exporting, exportError, onExportCsv, onExportPng }: DeskBarProps) {
  const { t: wallText, toggle, lang } = useI18n();
  const { t } = useDeskText();
  return (
    <header className="desk-bar">
      <h1>
        {/* The product's name in the page's language: the wall's bilingual title would leave Chinese on an English page. */}
        {wallText(lang === 'zh-CN' ? 'title' : 'titleLatin')} <span className="title-latin">· {t('desk.title')}</span>
      </h1>
      <ZoneBadge />
      {connection && <ConnectionIndicator state={connection} storeDown={storeDown} />}
      <div className="desk-layers" role="group" aria-label={t('desk.layers')} title={t('desk.layerHint')} aria-keyshortcuts="E">
        {LAYERS.map((each) => (
          <button key={each} type="button" aria-pressed={layer === each} onClick={() => onLayer(each)} data-testid={`desk-layer-${each}`}>
            {t(each === 'risk' ? 'desk.layer.risk' : 'desk.layer.equity')}
          </button>
        ))}
      </div>
      <span className="spacer" />
      {exportError && (
        <span className="desk-export-error" role="alert">
          {t('desk.exportFailed', { message: exportError })}
        </span>
      )}
      <button type="button" className="desk-button" onClick={onExportCsv} disabled={!canExport} data-testid="export-csv">
        {t('desk.exportCsv')}
      </button>
      <button type="button" className="desk-button" onClick={onExportPng} disabled={!canExport || exporting} aria-busy={exporting} data-testid="export-png">
        {exporting ? t('desk.exporting') : t('desk.exportPng')}
      </button>
      {/* Names the other language in itself (中文 / English), marked so a screen reader says it right. */}
      <button type="button" className="desk-button" onClick={toggle} title={wallText('lang.toggleHint')} aria-keyshortcuts="L" lang={lang === 'zh-CN' ? 'en' : 'zh-CN'}>
        {wallText('lang.toggle')}
      </button>
    </header>
  );
}
