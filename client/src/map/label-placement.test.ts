import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boxesOverlap, labelBox, placeLabels, type LabelCandidate, type ScreenBox } from './label-placement.ts';

const box = (left: number, top: number, right: number, bottom: number): ScreenBox => ({ left, top, right, bottom });
const label = (code: string, areaM2: number, b: ScreenBox): LabelCandidate => ({ code, areaM2, box: b });
const VIEW = { width: 1000, height: 800 };

/**
 * A second placement, written from the definition rather than as a loop over a sorted list: a name
 * is drawn when it lies in view and no name drawn before it (bigger, or as big with a smaller code)
 * comes within `gap` of it — the two boxes' shared extent, on both axes, is more than −gap.
 */
function naivePlacement(candidates: readonly LabelCandidate[], width: number, height: number, gap: number, edge: number): string[] {
  const before = (a: LabelCandidate, b: LabelCandidate) => a.areaM2 > b.areaM2 || (a.areaM2 === b.areaM2 && a.code < b.code);
  const clash = (a: ScreenBox, b: ScreenBox) =>
    Math.min(a.right, b.right) - Math.max(a.left, b.left) > -gap && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > -gap;
  const drawn = new Map<string, boolean>();
  const isDrawn = (c: LabelCandidate): boolean => {
    const known = drawn.get(c.code);
    if (known !== undefined) return known;
    const inView = Math.min(c.box.left, c.box.top, width - c.box.right, height - c.box.bottom) >= edge;
    const result = inView && !candidates.some((o) => before(o, c) && isDrawn(o) && clash(o.box, c.box));
    drawn.set(c.code, result);
    return result;
  };
  return candidates.filter(isDrawn).map((c) => c.code);
}

describe('label placement', () => {
  it('measures a centred name with its plate: 40 px of text at 12 px plus 5 × 2 padding', () => {
    expect(labelBox(100, 50, 40, 12, [5, 2])).toEqual(box(75, 42, 125, 58));
  });

  it('counts boxes that share an edge or a corner as apart, and any shared area as an overlap', () => {
    const a = box(0, 0, 10, 10);
    expect(boxesOverlap(a, box(10, 0, 20, 10))).toBe(false); // side by side
    expect(boxesOverlap(a, box(0, 10, 10, 20))).toBe(false); // one above the other
    expect(boxesOverlap(a, box(10, 10, 20, 20))).toBe(false); // corner to corner
    expect(boxesOverlap(a, box(9.5, 0, 20, 10))).toBe(true);
    expect(boxesOverlap(a, box(2, 2, 4, 4))).toBe(true); // one inside the other
    // With a 2 px gap, boxes 2 px apart are fine and 1.9 px apart are too close.
    expect(boxesOverlap(a, box(12, 0, 20, 10), 2)).toBe(false);
    expect(boxesOverlap(a, box(11.9, 0, 20, 10), 2)).toBe(true);
  });

  it('keeps the bigger district when two names collide, whatever order they come in', () => {
    const small = label('A1', 1e6, box(100, 100, 200, 120));
    const big = label('Z9', 5e6, box(150, 110, 250, 130));
    expect(placeLabels([small, big], VIEW)).toEqual(['Z9']);
    expect(placeLabels([big, small], VIEW)).toEqual(['Z9']);
  });

  it('breaks a tie in area by code, whatever order they come in', () => {
    const b = label('330102', 2e6, box(100, 100, 200, 120));
    const a = label('330101', 2e6, box(150, 110, 250, 130));
    expect(placeLabels([b, a], VIEW)).toEqual(['330101']);
    expect(placeLabels([a, b], VIEW)).toEqual(['330101']);
  });

  it('lets a dropped name no longer block: a chain big–middle–small keeps big and small', () => {
    // middle overlaps both; big wins over middle, so small has nothing left to collide with.
    const big = label('B', 3, box(0, 0, 100, 20));
    const middle = label('M', 2, box(90, 0, 190, 20));
    const small = label('S', 1, box(180, 0, 280, 20));
    expect(placeLabels([small, middle, big], VIEW)).toEqual(['B', 'S']);
  });

  it('keeps touching names and drops names that stick out of the map', () => {
    const names = [
      label('a', 5, box(0, 0, 100, 20)), // on the top-left edge: inside
      label('b', 4, box(100, 0, 200, 20)), // touches a
      label('c', 3, box(950, 400, 1001, 420)), // one pixel past the right edge
      label('d', 2, box(500, -1, 560, 19)), // one pixel above the top
      label('e', 1, box(900, 780, 1000, 800)), // in the bottom-right corner: inside
    ];
    expect(placeLabels(names, VIEW)).toEqual(['a', 'b', 'e']);
    // Kept 2 px off the edges, a and e no longer fit; b does (2 px below the top).
    const lower = [label('b', 4, box(100, 2, 200, 22)), ...names.filter((n) => n.code !== 'b')];
    expect(placeLabels(lower, { ...VIEW, edgePx: 2 })).toEqual(['b']);
  });

  it('agrees with a placement written from the definition, on random crowds of names', () => {
    const candidate = fc
      .record({
        x: fc.integer({ min: -50, max: 1050 }),
        y: fc.integer({ min: -50, max: 850 }),
        w: fc.integer({ min: 10, max: 200 }),
        h: fc.integer({ min: 10, max: 40 }),
        // Few distinct areas, so ties are common.
        area: fc.integer({ min: 1, max: 6 }),
      })
      .map(({ x, y, w, h, area }) => ({ areaM2: area * 1e5, box: box(x, y, x + w, y + h) }));
    fc.assert(
      fc.property(fc.array(candidate, { maxLength: 60 }), fc.constantFrom(0, 2, 5), fc.constantFrom(0, 3), (drafts, gap, edge) => {
        // Codes in shuffled order, so that ties are not decided by the input order.
        const candidates = drafts.map((d, i) => label(`c${String((i * 37) % 101).padStart(3, '0')}`, d.areaM2, d.box));
        const kept = placeLabels(candidates, { ...VIEW, gapPx: gap, edgePx: edge });
        expect(new Set(kept)).toEqual(new Set(naivePlacement(candidates, VIEW.width, VIEW.height, gap, edge)));
        // And what is kept never overlaps, by the plain definition of overlapping rectangles.
        const keptBoxes = candidates.filter((c) => kept.includes(c.code)).map((c) => c.box);
        for (let i = 0; i < keptBoxes.length; i++) {
          for (let j = i + 1; j < keptBoxes.length; j++) {
            const p = keptBoxes[i]!, q = keptBoxes[j]!;
            const apart = p.right <= q.left || q.right <= p.left || p.bottom <= q.top || q.bottom <= p.top;
            expect(apart).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
