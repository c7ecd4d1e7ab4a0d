import { describe, expect, it } from 'vitest';
import { formatLogLine, plainLogDestination } from './log-lines.ts';

// 2026-12-07 14:18:00 in the machine's zone, whatever it is: the expected text is built from the
// Date's own local fields, by hand, not by the formatter.
const at = new Date(2026, 11, 7, 14, 18, 0).getTime();

describe('plain log lines', () => {
  it('shows time, level, message and fields as key=value', () => {
    const line = formatLogLine({ level: 30, time: at, pid: 1, hostname: 'h', msg: 'City Brain is serving', url: 'http://127.0.0.1:3000', store: 'pglite', demo: true, heapLimitMb: 4096 });
    expect(line).toBe('2026-12-07 14:18:00 INFO  City Brain is serving  url=http://127.0.0.1:3000 store=pglite demo=true heapLimitMb=4096');
  });

  it('quotes strings with spaces, writes objects as JSON, colours the level when asked', () => {
    const line = formatLogLine({ level: 40, time: at, msg: 'slow', name: 'Wall 3', filter: { layers: ['risk'] }, none: null }, { colour: true });
    expect(line).toBe('2026-12-07 14:18:00 \u001b[33mWARN \u001b[39m slow  name="Wall 3" filter={"layers":["risk"]} none=null');
  });

  it("puts an error's stack on the lines below, indented", () => {
    const line = formatLogLine({ level: 50, time: at, msg: 'failed', err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at x (a.ts:1:1)' } });
    expect(line.split('\n')).toEqual(['2026-12-07 14:18:00 ERROR failed', '    Error: boom', '        at x (a.ts:1:1)']);
  });

  it('passes a line that is not JSON through rather than throwing', () => {
    const written: string[] = [];
    const destination = plainLogDestination({ write: (t: string) => written.push(t) });
    destination.write('not json\n');
    destination.write(`${JSON.stringify({ level: 30, time: at, msg: 'ok' })}\n`);
    expect(written).toEqual(['not json\n', '2026-12-07 14:18:00 INFO  ok\n']);
  });
});
