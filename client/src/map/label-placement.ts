/**
 * Which district names are drawn: greedily, biggest district first, a name is kept when its box
 * (text plus background plate, in screen pixels) lies inside the map and keeps clear of every name
 * already kept.
 *
 * Why here, in plain TypeScript, and not with deck.gl's CollisionFilterExtension: the extension
 * decides on the GPU, each frame, so neither the page nor a test can learn which names survived,
 * and it knows nothing of the viewport's edges. A placement computed here is a list the page can
 * state (map-view writes it onto the map's element) and a test can check against its own
 * projection and text measurement. It runs when the camera comes to rest; for a few hundred
 * districts the pairwise test against the kept boxes costs well under a millisecond.
 * A name left out stays reachable: hovering its district opens the district card on the console.
 */

/** A rectangle on screen, in CSS pixels from the map's top-left corner. */
export interface ScreenBox {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface LabelCandidate {
  code: string;
  /** The district's area: a bigger district keeps its name before a smaller one. */
  areaM2: number;
  box: ScreenBox;
}

export interface PlacementOptions {
  /** The map's size in CSS pixels: a kept name lies wholly inside it. */
  width: number;
  height: number;
  /** Clear space kept between two names' boxes. @default 0 */
  gapPx?: number;
  /** Clear space kept between a name's box and the map's edges. @default 0 */
  edgePx?: number;
}

/** The box of a name drawn centred on `(x, y)`: text `textWidthPx` wide and `sizePx` tall, plus the plate's padding. */
export function labelBox(x: number, y: number, textWidthPx: number, sizePx: number, paddingPx: readonly [number, number]): ScreenBox {
  const halfWidth = textWidthPx / 2 + paddingPx[0];
  const halfHeight = sizePx / 2 + paddingPx[1];
  return { left: x - halfWidth, top: y - halfHeight, right: x + halfWidth, bottom: y + halfHeight };
}

/**
 * Whether two boxes come closer than `gapPx`. Boxes exactly `gapPx` apart (with no gap: sharing
 * an edge) do not overlap: nothing of one is drawn over the other.
 */
export function boxesOverlap(a: ScreenBox, b: ScreenBox, gapPx = 0): boolean {
  return a.left < b.right + gapPx && b.left < a.right + gapPx && a.top < b.bottom + gapPx && b.top < a.bottom + gapPx;
}

/** Bigger area first; equal areas by code, so the same city always keeps the same names. */
export function compareLabelPriority(a: LabelCandidate, b: LabelCandidate): number {
  if (a.areaM2 !== b.areaM2) return b.areaM2 - a.areaM2;
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}

function insideView(box: ScreenBox, width: number, height: number, edge: number): boolean {
  return box.left >= edge && box.top >= edge && box.right <= width - edge && box.bottom <= height - edge;
}

/** The codes of the names to draw, in priority order. */
export function placeLabels(candidates: readonly LabelCandidate[], options: PlacementOptions): string[] {
  const { width, height, gapPx = 0, edgePx = 0 } = options;
  const kept: LabelCandidate[] = [];
  for (const candidate of [...candidates].sort(compareLabelPriority)) {
    if (!insideView(candidate.box, width, height, edgePx)) continue;
    if (kept.some((other) => boxesOverlap(candidate.box, other.box, gapPx))) continue;
    kept.push(candidate);
  }
  return kept.map((candidate) => candidate.code);
}
