/** The wall: full-screen live map with top bar, legend, incident list and card; sign-in card when needed. */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { I18nContext, initialLang, rememberLang, translator, type I18n, type Lang } from './i18n.ts';
import { Legend } from './map/legend.tsx';
import { MapView } from './map/map-view.tsx';
import { SignInCard } from './views/sign-in-card.tsx';
import { IncidentPanel } from './views/wall/incident-panel.tsx';
import { TopBar } from './views/wall/top-bar.tsx';
import { useWallData } from './views/wall/use-wall-data.ts';

/** Room the panels take on screen, so the city is fitted into what stays visible. */
const MAP_PADDING = { top: 72, right: 500, bottom: 32, left: 32 };

function useLanguage(): I18n {
  const [lang, setLang] = useState<Lang>(initialLang);
  const toggle = useCallback(() => setLang((l) => (l === 'zh-CN' ? 'en' : 'zh-CN')), []);
  useEffect(() => rememberLang(lang), [lang]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'l' && event.key !== 'L') return;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      if (target?.closest('input, textarea, select, [contenteditable="true"]')) return;
      toggle();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [toggle]);
  return useMemo(() => ({ lang, t: translator(lang), toggle }), [lang, toggle]);
}

export function App() {
  const i18n = useLanguage();
  const { t } = i18n;
  const data = useWallData();
  const [hoveredId, setHoveredId] = useState<string | null>(null);
  const [selection, setSelection] = useState<{ id: string | null; open: boolean }>({ id: null, open: false });
  const select = useCallback((id: string | null, open: boolean) => setSelection({ id, open: id !== null && open }), []);
  const { incidents } = data.incidents;
  // Looked up per store version, so the card and the rings follow live status changes.
  const { incidentById } = data;
  const version = data.incidents.version;
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `version` is the store's change signal.
  const selected = useMemo(() => (selection.id ? (incidentById(selection.id) ?? null) : null), [selection.id, version, incidentById]);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- as above.
  const hovered = useMemo(() => (hoveredId ? (incidentById(hoveredId) ?? null) : null), [hoveredId, version, incidentById]);

  const regionNames = useMemo(
    () => new Map((data.regions?.features ?? []).map((f) => [f.properties.code, f.properties.name])),
    [data.regions],
  );
  const synthetic = useMemo(
    () => data.health?.demo === true || incidents.some((incident) => incident.source.startsWith('synthetic')),
    [data.health, incidents],
  );
  const signedIn = data.session === 'signed-in';

  return (
    <I18nContext.Provider value={i18n}>
      <div className="app">
        {data.regions ? (
          <MapView
            regions={data.regions}
            rows={data.rows}
            incidentCount={incidents.length}
            hovered={hovered}
            selected={selected}
            onPick={(incident) => select(incident.id, true)}
            padding={MAP_PADDING}
          />
        ) : (
          <div className="map map-placeholder" data-testid="map" data-incident-count={incidents.length} />
        )}
        <TopBar
          connection={signedIn ? data.connection : null}
          incidentCount={signedIn && data.incidents.loaded ? incidents.length : null}
          synthetic={synthetic}
        />
        {signedIn && (
          <aside className="side">
            <IncidentPanel
              incidents={incidents}
              regionNames={regionNames}
              loading={!data.incidents.loaded}
              role={data.role}
              selected={selected}
              detailOpen={selection.open}
              onSelect={select}
              onHover={setHoveredId}
              onChanged={data.applyLocal}
            />
          </aside>
        )}
        <Legend />
        {data.session === 'signed-out' && <SignInCard />}
        {(data.session === 'checking' || !data.regions) && !data.error && (
          <div className="overlay-centre loading" role="status">{t('loading')}</div>
        )}
        {data.error && (
          <div className="overlay-centre">
            <div className="panel error" role="alert">
              <p>{t('error.load', { message: data.error })}</p>
              <button type="button" onClick={data.retry}>{t('error.retry')}</button>
            </div>
          </div>
        )}
      </div>
    </I18nContext.Provider>
  );
}
