/**
 * The wall is configured by its address, since nobody touches it: `?layers=risk,incidents,units,equity`
 * (what the map draws) and `?rotate=30` (seconds per district of the tour; `0` stops it).
 */
export type WallLayer = 'risk' | 'incidents' | 'units' | 'equity';

export interface WallParams {
  layers: ReadonlySet<WallLayer>;
  /** Seconds each stop of the tour lasts; 0 = no tour. */
  rotateS: number;
}

const KNOWN: readonly WallLayer[] = ['risk', 'incidents', 'units', 'equity'];
export const DEFAULT_LAYERS: readonly WallLayer[] = ['risk', 'incidents', 'units'];
export const DEFAULT_ROTATE_S = 30;
/** Shorter stops than this are a blur from 5 m, and the fly-to alone takes a couple of seconds. */
export const MIN_ROTATE_S = 5;

/** Reads the wall's parameters; unknown layer names are ignored, a bad `rotate` keeps the default. */
export function parseWallParams(search: string): WallParams {
  const query = new URLSearchParams(search);
  const asked = query.get('layers');
  const names = asked === null ? DEFAULT_LAYERS : asked.split(',').map((s) => s.trim().toLowerCase());
  const layers = new Set(KNOWN.filter((layer) => names.includes(layer)));
  const rawRotate = query.get('rotate');
  const rotate = rawRotate === null || rawRotate.trim() === '' ? DEFAULT_ROTATE_S : Number(rawRotate);
  let rotateS = Number.isFinite(rotate) && rotate >= 0 ? rotate : DEFAULT_ROTATE_S;
  if (rotateS > 0) rotateS = Math.max(MIN_ROTATE_S, rotateS);
  return { layers, rotateS };
}
