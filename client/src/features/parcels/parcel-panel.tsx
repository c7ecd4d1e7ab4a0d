/**
 * The planner on the wall: find a parcel by code, name or address, or by scanning its QR
 * code, and read it in a drawer that follows live steps; the map flies to it and outlines it.
 * Mounted by the app next to the wall's panels; it needs nothing from them but region names.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ParcelFeature } from '#contract/index.ts';
import type { ScreenPadding } from '../../map/fit-regions.ts';
import { useMap } from '../../map/map-context.ts';
import { clearParcelOnMap, showParcelOnMap } from './map-focus.ts';
import { ParcelDrawer } from './parcel-drawer.tsx';
import { classifyParcelQuery } from './parcel-query.ts';
import { ParcelSearch } from './parcel-search.tsx';
import { QrScanner } from './qr-scanner.tsx';
import { usePlannerText } from './strings.ts';
import { useParcelDetail } from './use-parcel-detail.ts';
import './parcel-panel.css';

export interface PlannerPanelProps {
  /** District names by code, to name a parcel's district. */
  regionNames?: ReadonlyMap<string, string>;
  /** Shows a parcel on a map of the caller's; by default on the page's map (map-context.ts). */
  onLocate?: (parcel: ParcelFeature, options: { fly: boolean }) => void;
}

/** Room the planner column and the incident panel take, so the parcel lands in the free middle. */
function mapPadding(panel: HTMLElement | null): ScreenPadding {
  const left = panel ? panel.getBoundingClientRect().right + 24 : 32;
  const side = document.querySelector('.side')?.getBoundingClientRect();
  const right = side ? Math.max(32, window.innerWidth - side.left + 24) : 32;
  return { top: 80, bottom: 120, left, right };
}

export function PlannerPanel({ regionNames, onLocate }: PlannerPanelProps) {
  const { t } = usePlannerText();
  const [text, setText] = useState('');
  const [openCode, setOpenCode] = useState<string | null>(null);
  const [scanning, setScanning] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const { detail, surroundings } = useParcelDetail(openCode);
  const map = useMap();

  // A whole, valid code opens as soon as it is typed; closing the drawer does not reopen it.
  const query = useMemo(() => classifyParcelQuery(text), [text]);
  const typedCode = query.kind === 'code' ? query.code : null;
  useEffect(() => {
    if (typedCode) setOpenCode(typedCode);
  }, [typedCode]);

  const changeText = useCallback(
    (next: string) => {
      setText(next);
      // The complaint about the last code asked for belongs to that code.
      if (detail.phase === 'failed') setOpenCode(null);
    },
    [detail.phase],
  );
  const close = useCallback(() => setOpenCode(null), []);
  const open = useCallback((code: string) => setOpenCode(code), []);

  // The map follows the drawer: fly on opening, move the outline on a live refresh, clear on close.
  const loaded = detail.phase === 'loaded' ? detail : null;
  const locate = useCallback(
    (fly: boolean) => {
      if (!loaded) return;
      if (onLocate) return onLocate(loaded.detail, { fly });
      if (map) showParcelOnMap(map, loaded.detail, mapPadding(panelRef.current), fly);
    },
    [loaded, onLocate, map],
  );
  const loadedCode = loaded?.code ?? null;
  const loadedVersion = loaded?.version ?? -1;
  useEffect(() => {
    if (loadedCode !== null) locate(loadedVersion === 0);
    // Once per code and per refresh, not per render.
  }, [loadedCode, loadedVersion]);
  useEffect(() => {
    if (openCode !== null || onLocate) return;
    if (map) clearParcelOnMap(map);
  }, [openCode, onLocate, map]);

  const openProblem =
    detail.phase === 'failed'
      ? detail.status === 404
        ? t('search.notFound', { code: detail.code })
        : t('search.openFailed', { message: detail.message })
      : null;

  const scanned = useCallback((code: string) => {
    setScanning(false);
    setText(code);
    setOpenCode(code);
  }, []);
  const closeScanner = useCallback((typeInstead: boolean) => {
    setScanning(false);
    if (typeInstead) requestAnimationFrame(() => inputRef.current?.focus());
  }, []);

  return (
    <div className="planner" data-testid="planner" ref={panelRef}>
      <ParcelSearch
        text={text}
        onTextChange={changeText}
        onOpen={open}
        onScan={() => setScanning(true)}
        openProblem={openProblem}
        inputRef={inputRef}
      />
      {detail.phase === 'loading' && (
        <div className="panel parcel-drawer parcel-drawer-loading" role="status">
          <p className="muted">{t('drawer.loading')}</p>
        </div>
      )}
      {loaded && (
        <ParcelDrawer
          parcel={loaded.detail}
          version={loaded.version}
          regionName={regionNames?.get(loaded.detail.properties.regionCode) ?? null}
          surroundings={surroundings}
          onClose={close}
          onOpen={open}
          onLocate={() => locate(true)}
        />
      )}
      {scanning && <QrScanner onCode={scanned} onClose={closeScanner} />}
    </div>
  );
}
