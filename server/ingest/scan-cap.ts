/**
 * Raw scan of a CAP alert before the XML validator and parser read it: counts `<info>`, `<area>`,
 * `<polygon>`/`<circle>`, `<parameter>` and all elements, the points of each polygon, and the
 * longest text, tag (with its attributes), comment and CDATA section. One pass with `indexOf`;
 * it stops at the first excess, so a million `<info>`s or a 30 MB attribute never reach a parser
 * that would build a tree (and a gigabyte of memory) of them. Element names are compared without
 * their namespace prefix, as the adapter reads them.
 */
import { isBlank, kb, longerThan, overLimit, type IntakeLimits, type LimitProblem } from './limits.ts';
import { MarkupReader } from './xml-tags.ts';

const COMMA = 0x2c;
/** Positions of a circle kept as a polygon: a 64-gon and its closing point. */
const CIRCLE_POSITIONS = 65;

/** Points of the open `<polygon>` so far, counted as the adapter splits them ("lat,lon" pairs). */
interface PolygonCount {
  path: string;
  points: number;
  /** Points of the shapes before it in the same area: an area's shapes become one geometry. */
  before: number;
  /** Last character that was not blank (-1: none yet), and whether blanks came after it. */
  last: number;
  blankSince: boolean;
}

/**
 * Adds the points in `text[from, to)`: a point starts at a non-blank character after blanks,
 * unless a comma touches the blanks ("30.1, 120.2" is one point, as the adapter tidies it).
 */
function countPoints(p: PolygonCount, text: string, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (isBlank(c)) {
      p.blankSince = true;
      continue;
    }
    if (p.last === -1 || (p.blankSince && c !== COMMA && p.last !== COMMA)) p.points++;
    p.last = c;
    p.blankSince = false;
  }
}

/** The first limit the CAP text breaks, or `null`. */
export function scanCap(text: string, limits: IntakeLimits): LimitProblem | null {
  const n = text.length;
  const max = limits.maxRecordBytes;
  let infos = 0;
  let areas = 0;
  let areasInInfo = 0;
  let shapes = 0;
  let elements = 0;
  let parameters = 0;
  let lastElement = '';
  let polygon: PolygonCount | null = null;
  /** Positions of the current area's closed shapes: every shape of an area is kept in one geometry. */
  let areaPoints = 0;
  const where = () => (infos > 0 ? `alert/info[${infos}]` : 'alert');
  const long = (what: string) => overLimit('maxRecordBytes', limits, `${where()}/${lastElement}`, `${what} is longer than ${kb(max)}`, 'CAP texts are short; send long documents as a <resource> link');

  /** Text between tags: a polygon's points are counted, any other text is measured. */
  const content = (from: number, to: number): LimitProblem | null => {
    if (to <= from) return null;
    if (polygon === null) return longerThan(text, from, to, max) ? long(`the text of <${lastElement || 'alert'}>`) : null;
    countPoints(polygon, text, from, to);
    if (polygon.before + polygon.points <= limits.maxPositions) return null;
    const what = polygon.before > 0 ? `${polygon.path} and the shapes before it in its area have` : `${polygon.path} has`;
    return overLimit('maxPositions', limits, polygon.path, `${what} more than ${limits.maxPositions.toLocaleString('en')} points (too many vertices)`, 'simplify the polygon first');
  };

  const markup = new MarkupReader(text, max);
  let i = 0;
  while (i < n) {
    const lt = text.indexOf('<', i);
    const problem = content(i, lt < 0 ? n : lt);
    if (problem) return problem;
    if (lt < 0) break;
    const kind = markup.read(lt);
    if (kind === 'too long') return long(markup.what);
    i = markup.end;
    if (kind === 'cdata') {
      const cdata = content(markup.from, markup.to);
      if (cdata) return cdata;
      continue;
    }
    if (kind === 'comment') continue;
    const { closing, selfClosing } = markup;
    const local = markup.local();
    if (closing) {
      if (local === 'polygon' && polygon !== null) {
        areaPoints += polygon.points;
        polygon = null;
      }
      continue;
    }
    if (markup.declaration) continue; // declarations: the adapter refuses DOCTYPEs
    lastElement = local;
    if (++elements > limits.capMaxElements) {
      return overLimit('capMaxElements', limits, where(), `the alert has more than ${limits.capMaxElements.toLocaleString('en')} XML elements`, 'split it into several alerts');
    }
    switch (local) {
      case 'info':
        if (++infos > limits.capMaxInfos) {
          return overLimit('capMaxInfos', limits, `alert/info[${infos}]`, `the alert has more than ${limits.capMaxInfos} <info> blocks`, 'send one alert per event');
        }
        areasInInfo = 0;
        parameters = 0;
        break;
      case 'area':
        areasInInfo++;
        areaPoints = 0;
        if (++areas > limits.capMaxAreas) {
          return overLimit('capMaxAreas', limits, `${where()}/area[${areasInInfo}]`, `the alert has more than ${limits.capMaxAreas.toLocaleString('en')} <area> blocks`, 'split it into several alerts');
        }
        if (areas > limits.maxRecords) {
          return overLimit('maxRecords', limits, `${where()}/area[${areasInInfo}]`, `the alert describes more than ${limits.maxRecords.toLocaleString('en')} incidents (one per <area>)`, 'split it into several alerts');
        }
        break;
      case 'polygon':
      case 'circle':
        if (++shapes > limits.capMaxShapes) {
          return overLimit('capMaxShapes', limits, `${where()}/area[${areasInInfo}]/${local}`, `the alert has more than ${limits.capMaxShapes.toLocaleString('en')} polygons and circles`, 'split it into several alerts');
        }
        if (local === 'polygon' && !selfClosing) polygon = { path: `${where()}/area[${areasInInfo}]/polygon`, points: 0, before: areaPoints, last: -1, blankSince: false };
        if (local === 'circle') {
          // Kept as a 64-gon (65 positions) once the area has more than one shape.
          areaPoints += CIRCLE_POSITIONS;
          if (areaPoints > limits.maxPositions) {
            return overLimit('maxPositions', limits, `${where()}/area[${areasInInfo}]/circle`, `${where()}/area[${areasInInfo}] has more than ${limits.maxPositions.toLocaleString('en')} points in its polygons and circles (each circle is 65)`, 'simplify the polygons or split the area');
          }
        }
        break;
      case 'parameter':
        if (++parameters > limits.maxFields) {
          return overLimit('maxFields', limits, `${where()}/parameter[${parameters}]`, `${where()} has more than ${limits.maxFields} <parameter>s`, 'send only the parameters an incident needs');
        }
        break;
    }
  }
  return null;
}
