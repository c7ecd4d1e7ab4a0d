/**
 * The drawer of one parcel: its land code (large, copyable), name, land use, hazard flag, area and
 * district; its QR code with a Print button (the print sheet holds only code, QR and name); the
 * seven-stage lifecycle with every department's documents; and what lies around it.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { ParcelDetail } from '#contract/index.ts';
import { parcelQrSvgUrl } from '../../api/parcels-api.ts';
import { ParcelSurroundings } from './parcel-surroundings.tsx';
import { DocumentsByDepartment, ParcelTimeline } from './parcel-timeline.tsx';
import { formatArea } from './parcel-view-model.ts';
import { landUseName, stageName, usePlannerText } from './strings.ts';
import type { SurroundingsState } from './use-parcel-detail.ts';

export interface ParcelDrawerProps {
  parcel: ParcelDetail;
  /** Live refreshes so far (0 when opened); a change flashes "updated". */
  version: number;
  regionName: string | null;
  surroundings: SurroundingsState;
  onClose: () => void;
  /** Opens another parcel (a neighbour). */
  onOpen: (code: string) => void;
  /** Flies the map to the parcel again. */
  onLocate: () => void;
}

/** Selects the code's text, for browsers that refuse the clipboard to this page (plain HTTP). */
function selectText(element: HTMLElement | null): void {
  if (!element) return;
  const range = document.createRange();
  range.selectNodeContents(element);
  const selection = window.getSelection();
  selection?.removeAllRanges();
  selection?.addRange(range);
}

function CopyableCode({ code }: { code: string }) {
  const { t } = usePlannerText();
  const codeRef = useRef<HTMLElement>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 1_500);
    return () => clearTimeout(timer);
  }, [copied]);
  const copy = () => {
    const clipboard = navigator.clipboard as Clipboard | undefined;
    if (!clipboard) return selectText(codeRef.current);
    clipboard.writeText(code).then(
      () => setCopied(true),
      () => selectText(codeRef.current),
    );
  };
  return (
    <div className="parcel-code-row">
      <code ref={codeRef} className="parcel-code" data-testid="parcel-code">
        {code}
      </code>
      <button type="button" className="parcel-copy" onClick={copy} title={t('drawer.copyHint')} data-copied={copied}>
        {copied ? t('drawer.copied') : t('drawer.copy')}
      </button>
    </div>
  );
}

function QrBlock({ parcel }: { parcel: ParcelDetail }) {
  const { t } = usePlannerText();
  const { code, name } = parcel.properties;
  const [missing, setMissing] = useState(false);
  const src = parcelQrSvgUrl(code);
  return (
    <section className="parcel-section parcel-qr">
      <h3>{t('qr.heading')}</h3>
      <div className="parcel-qr-row">
        {missing ? (
          <p className="muted parcel-qr-missing">{t('qr.missing')}</p>
        ) : (
          <img src={src} alt={t('qr.alt', { code })} className="parcel-qr-image" data-testid="parcel-qr" onError={() => setMissing(true)} />
        )}
        <button type="button" className="planner-primary" onClick={() => window.print()} disabled={missing} title={t('qr.printHint')} data-testid="parcel-print">
          {t('qr.print')}
        </button>
      </div>
      {/* Only this shows on paper (planner.css, @media print): a board to fix on the site. */}
      <div className="parcel-print-sheet" aria-hidden="true">
        <p className="parcel-print-name">{name}</p>
        {!missing && <img src={src} alt="" className="parcel-print-qr" />}
        <p className="parcel-print-code">{code}</p>
      </div>
    </section>
  );
}

export function ParcelDrawer({ parcel, version, regionName, surroundings, onClose, onOpen, onLocate }: ParcelDrawerProps) {
  const { t, lang } = usePlannerText();
  const p = parcel.properties;

  // A layout effect: registered in the same task that puts the drawer on screen, so an Esc pressed
  // the moment it appears already closes it (a passive effect may run a frame later).
  useLayoutEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented) onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <section
      className="panel parcel-drawer"
      data-testid="parcel-drawer"
      data-code={p.code}
      data-stage={p.stage}
      data-version={version}
      aria-label={t('drawer.label', { code: p.code })}
    >
      <header className="parcel-head">
        <div className="parcel-head-main">
          <CopyableCode code={p.code} />
          <h2 className="parcel-name" data-testid="parcel-name">
            {p.name || p.code}
          </h2>
        </div>
        <button type="button" className="detail-close" onClick={onClose} title={t('drawer.close')} aria-label={t('drawer.close')}>
          ×
        </button>
      </header>
      <div className="parcel-chips">
        <span className={`parcel-chip land-use-${p.landUse}`} data-testid="parcel-land-use" data-land-use={p.landUse}>
          {p.landUse} {landUseName(p.landUse, lang)}
        </span>
        {p.hazardous && (
          <span className="parcel-chip parcel-hazardous" data-testid="parcel-hazardous" title={t('drawer.hazardousHint')}>
            ⚠ {t('drawer.hazardous')}
          </span>
        )}
        {p.synthetic && (
          <span className="parcel-chip parcel-synthetic" data-testid="parcel-synthetic">
            {t('drawer.synthetic')}
          </span>
        )}
        {version > 0 && (
          <span key={version} className="parcel-chip parcel-updated" role="status">
            {t('drawer.refreshing')}
          </span>
        )}
      </div>
      <div className="parcel-scroll">
        <dl className="parcel-fields">
          <dt>{t('drawer.stage')}</dt>
          <dd>{stageName(p.stage, lang)}</dd>
          <dt>{t('drawer.area')}</dt>
          <dd data-testid="parcel-area">{formatArea(p.areaM2, lang)}</dd>
          <dt>{t('drawer.region')}</dt>
          <dd>
            {regionName ? `${regionName} (${p.regionCode})` : p.regionCode}{' '}
            <button type="button" className="parcel-link" onClick={onLocate}>
              {t('drawer.locate')}
            </button>
          </dd>
          {p.address && (
            <>
              <dt>{t('drawer.address')}</dt>
              <dd>{p.address}</dd>
            </>
          )}
        </dl>
        <QrBlock key={p.code} parcel={parcel} />
        <ParcelTimeline stage={p.stage} steps={parcel.steps} />
        <DocumentsByDepartment steps={parcel.steps} />
        <ParcelSurroundings state={surroundings} onOpen={onOpen} />
      </div>
    </section>
  );
}
