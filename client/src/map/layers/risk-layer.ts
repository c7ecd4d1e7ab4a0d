/**
 * The five-colour map (五色图) as one deck.gl layer: every district filled with its risk level's
 * colour, a white outline around the district in focus, and a white wash pulsing over districts
 * whose level just changed live.
 *
 * Why opaque: the colour on screen is then exactly the contract's (a photo of the wall, a printed
 * screenshot and a pixel test all read #D7263D as "red"), and the level is the one thing the wall
 * must say from five metres. Why the outlines are drawn again here: the deck.gl canvas lies over
 * maplibre's, so the basemap's own outlines end up under the fill.
 *
 * The layer works out its own update triggers, so a page only hands it what it knows (levels by
 * code, when each district changed): levels change colours only (`data`, the regions, keeps its
 * identity and the polygons are never tessellated again), and the pulse runs on the layer's own
 * animation clock, which stops when no district pulses, so React re-renders nothing per frame.
 */
import { CompositeLayer, type CompositeLayerProps, type DefaultProps, type Layer, type PickingInfo, type UpdateParameters } from '@deck.gl/core';
import { GeoJsonLayer, type GeoJsonLayerProps } from '@deck.gl/layers';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { RegionCollection, RegionProperties, RiskLevel } from '#contract/index.ts';
import { BASEMAP_COLOURS } from '../basemap.ts';
import { activePulses, pulseStrength } from '../district-pulse.ts';
import type { MapLayerGroup } from '../map-layers.ts';
import { hexToRgb, LEVEL_RGB } from '../risk-colours.ts';

export type Rgba = [number, number, number, number];
type RegionFeature = Feature<Geometry, RegionProperties>;

/** No rating known (signed out, still loading): draw nothing, so the basemap shows through. */
const NO_RATING: Rgba = [0, 0, 0, 0];
const OUTLINE: Rgba = [...hexToRgb(BASEMAP_COLOURS.districtOutline), 255];
const FOCUS: Rgba = [255, 255, 255, 255];
const NO_LEVELS: ReadonlyMap<string, RiskLevel> = new Map();
const NO_CHANGES: ReadonlyMap<string, number> = new Map();

export function riskFillColour(level: RiskLevel | undefined): Rgba {
  return level ? [...LEVEL_RGB[level], 255] : NO_RATING;
}

/** Props of {@link RiskLayer} besides deck.gl's own (`id`, `visible`, `opacity`, …). */
export interface RiskLayerOwnProps {
  /** The districts. Keep its identity while the set is the same: a new one is tessellated again. */
  data: RegionCollection;
  /** Level of each district, by code; a district without one is not filled. @default no levels */
  levels?: ReadonlyMap<string, RiskLevel>;
  /** The district outlined in white (the one a card describes), or `null`. @default null */
  focusedCode?: string | null;
  /** When each district changed level live (ms, on the clock of `now`): it pulses for three seconds. @default none */
  changedAt?: ReadonlyMap<string, number>;
  /** Whether the opaque fill and its outlines are drawn: off while something under it must show (parcels). @default true */
  filled?: boolean;
  /** The clock the pulses run on. @default Date.now */
  now?: () => number;
  /** The district under the pointer, `null` when it left every district; `x`: the pointer, in map pixels. @default null */
  onDistrictHover?: ((code: string | null, x: number) => void) | null;
  /** A click on a district (not on an incident dot above it). @default null */
  onDistrictClick?: ((code: string, x: number) => void) | null;
}

export type RiskLayerProps = RiskLayerOwnProps & CompositeLayerProps;

const defaultProps: DefaultProps<RiskLayerProps> = {
  // Compared by identity: a page hands a new map when a level changes; the layer then compares contents.
  levels: { type: 'object', value: NO_LEVELS },
  focusedCode: { type: 'object', value: null, optional: true },
  changedAt: { type: 'object', value: NO_CHANGES },
  filled: true,
  // Functions: a new closure on each render is no reason to update.
  now: { type: 'function', value: () => Date.now() },
  onDistrictHover: { type: 'function', value: null, optional: true },
  onDistrictClick: { type: 'function', value: null, optional: true },
};

/**
 * The levels drawn, as JSON (code → level) of the districts on the map only: a rating of a region
 * since removed is not drawn. It is the fill colours' update trigger, and what the map records.
 */
export function drawnLevelsKey(regions: RegionCollection, levels: ReadonlyMap<string, RiskLevel>): string {
  const drawn: Record<string, RiskLevel> = {};
  for (const feature of regions.features) {
    const level = levels.get(feature.properties.code);
    if (level) drawn[feature.properties.code] = level;
  }
  return JSON.stringify(drawn);
}

/** One animation frame of the pulse. */
export interface PulseFrame {
  /** Codes pulsing, sorted and comma-separated ('' when none). */
  codes: string;
  /** Their features: the same array while the same districts pulse, so only colours are re-read. */
  features: readonly RegionFeature[];
  /** Strength (0–1) of each district's pulse in this frame. */
  strengths: ReadonlyMap<string, number>;
  /** The frame's time: the update trigger of the pulse's colours and widths. */
  atMs: number;
}

const features = (regions: RegionCollection): RegionFeature[] => regions.features as unknown as RegionFeature[];

/** The pulse at `nowMs`; `held` is the previous frame, whose features are kept if the same districts pulse. */
export function pulseFrame(regions: RegionCollection, changedAt: ReadonlyMap<string, number>, nowMs: number, held?: PulseFrame): PulseFrame {
  const strengths = new Map<string, number>();
  for (const [code, at] of activePulses(changedAt, nowMs)) strengths.set(code, pulseStrength(nowMs - at));
  const codes = [...strengths.keys()].sort().join(',');
  const pulsing = held && held.codes === codes ? held.features : features(regions).filter((f) => strengths.has(f.properties.code));
  return { codes, features: pulsing, strengths, atMs: nowMs };
}

export function focusFeatures(regions: RegionCollection, code: string | null): readonly RegionFeature[] {
  const feature = code === null ? undefined : features(regions).find((f) => f.properties.code === code);
  return feature ? [feature] : [];
}

/** What the layer derives from its props between updates. */
export type RiskLayerState = {
  levelsKey: string;
  focus: readonly RegionFeature[];
  pulse: PulseFrame;
};

type SubLayerProps = GeoJsonLayerProps<RegionProperties> & { id: string };

/**
 * The three sub-layers' own props, bottom to top (deck.gl adds the parent's id, opacity and the
 * like). Pure, so what the layer asks deck.gl to draw can be checked without a GPU.
 */
export function riskSubLayerProps(props: Required<Pick<RiskLayerOwnProps, 'data' | 'levels' | 'filled'>> & { visible?: boolean; pickable?: boolean | '3d' | undefined; interactive: boolean }, state: RiskLayerState): SubLayerProps[] {
  const { levels } = props;
  const visible = props.visible ?? true;
  const { strengths } = state.pulse;
  const strength = (feature: RegionFeature) => strengths.get(feature.properties.code) ?? 0;
  const outline = { stroked: true, lineWidthUnits: 'pixels', lineJointRounded: true } as const;
  return [
    {
      id: 'fill',
      data: props.data as unknown as FeatureCollection<Geometry, RegionProperties>,
      visible: visible && props.filled,
      filled: true,
      ...outline,
      getFillColor: (feature) => riskFillColour(levels.get(feature.properties.code)),
      getLineColor: OUTLINE,
      getLineWidth: 1.5,
      pickable: Boolean(props.pickable) || props.interactive,
      updateTriggers: { getFillColor: state.levelsKey },
    },
    {
      id: 'focus',
      data: state.focus as RegionFeature[],
      visible,
      filled: false,
      ...outline,
      getLineColor: FOCUS,
      getLineWidth: 3,
      pickable: false,
    },
    {
      id: 'pulse',
      data: state.pulse.features as RegionFeature[],
      visible,
      filled: true,
      ...outline,
      getFillColor: (feature) => [255, 255, 255, Math.round(110 * strength(feature))],
      getLineColor: (feature) => [255, 255, 255, Math.round(255 * strength(feature))],
      getLineWidth: (feature) => 2 + 6 * strength(feature),
      pickable: false,
      updateTriggers: { getFillColor: state.pulse.atMs, getLineColor: state.pulse.atMs, getLineWidth: state.pulse.atMs },
    },
  ];
}

const codeOf = (info: PickingInfo): string | null => (info.object as RegionFeature | undefined)?.properties?.code ?? null;

/** The animation clock, shared by the layer instances that take over one another's state. */
type PulseClock = {
  handle: number | null;
  /** The newest instance: a frame updates it (older ones hold out-of-date props). */
  owner: RiskLayer | null;
};

export class RiskLayer extends CompositeLayer<Required<RiskLayerOwnProps>> {
  static override layerName = 'RiskLayer';
  static override defaultProps = defaultProps;

  declare state: RiskLayerState & { clock: PulseClock };

  override initializeState(): void {
    this.state = { levelsKey: '{}', focus: [], pulse: { codes: '', features: [], strengths: new Map(), atMs: 0 }, clock: { handle: null, owner: null } };
  }

  override updateState({ props, oldProps, changeFlags }: UpdateParameters<this>): void {
    const regionsChanged = Boolean(changeFlags.dataChanged);
    const held = this.state;
    // Time moved on since the last update, whatever changed: the pulse is read again (its own
    // clock's frames come here too); with nothing pulsing then or now, there is nothing to re-read.
    const pulse = pulseFrame(props.data, props.changedAt, props.now(), regionsChanged ? undefined : held.pulse);
    this.setState({
      levelsKey: regionsChanged || props.levels !== oldProps.levels ? drawnLevelsKey(props.data, props.levels) : held.levelsKey,
      focus: regionsChanged || props.focusedCode !== oldProps.focusedCode ? focusFeatures(props.data, props.focusedCode) : held.focus,
      pulse: pulse.codes === '' && held.pulse.codes === '' && !regionsChanged ? held.pulse : pulse,
    });
    held.clock.owner = this;
    // While something pulses, another frame; the one that finds no pulse left is drawn without it,
    // and the clock stops there.
    if (this.state.pulse.codes !== '') this.nextFrame();
  }

  override finalizeState(context: Parameters<Layer['finalizeState']>[0]): void {
    const { clock } = this.state;
    if (clock.handle !== null) cancelAnimationFrame(clock.handle);
    clock.handle = null;
    clock.owner = null;
    super.finalizeState(context);
  }

  private nextFrame(): void {
    const { clock } = this.state;
    if (clock.handle !== null || typeof requestAnimationFrame !== 'function') return;
    clock.handle = requestAnimationFrame(() => {
      clock.handle = null;
      clock.owner?.setNeedsUpdate();
    });
  }

  /** The levels drawn (JSON, code → level), worked out from the props until deck.gl has taken them up. */
  get drawnLevels(): string {
    return this.state?.levelsKey ?? drawnLevelsKey(this.props.data, this.props.levels);
  }

  /** The districts pulsing in the frame drawn, sorted and comma-separated ('' when none). */
  get pulsingCodes(): string {
    return this.state?.pulse.codes ?? pulseFrame(this.props.data, this.props.changedAt, this.props.now()).codes;
  }

  override onHover(info: PickingInfo, event: unknown): boolean {
    this.props.onDistrictHover?.(codeOf(info), info.x);
    return super.onHover(info, event);
  }

  override onClick(info: PickingInfo, event: unknown): boolean {
    const code = codeOf(info);
    if (code && this.props.onDistrictClick) {
      this.props.onDistrictClick(code, info.x);
      return true;
    }
    return super.onClick(info, event);
  }

  override renderLayers(): Layer[] {
    const { data, levels, filled, visible, pickable, onDistrictHover, onDistrictClick } = this.props;
    const interactive = Boolean(onDistrictHover ?? onDistrictClick);
    return riskSubLayerProps({ data, levels, filled, visible, pickable, interactive }, this.state).map(
      (sub) => new GeoJsonLayer<RegionProperties>(this.getSubLayerProps(sub)),
    );
  }
}

/**
 * The five colours as an entry of the map's layer list, with what the map records once they are
 * drawn: `data-risk-at` (the ISO time shown, or "live"), `data-risk-levels` (JSON, code → level)
 * and `data-risk-pulsing` (codes pulsing in that frame): what the wall shows, not what is on its way.
 */
export function riskMapLayers(props: Omit<RiskLayerProps, 'id'> & { id?: string; atIso: string | null }): MapLayerGroup {
  const { atIso, ...layerProps } = props;
  const layer = new RiskLayer({ ...layerProps, id: layerProps.id ?? 'risk' });
  return { layers: [layer], marks: () => ({ 'data-risk-at': atIso ?? 'live', 'data-risk-levels': layer.drawnLevels, 'data-risk-pulsing': layer.pulsingCodes }) };
}
