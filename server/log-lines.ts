/**
 * Log lines a person reads at a terminal: time, level, message, then the fields as `key=value`
 * (strings with spaces quoted, objects as compact JSON) and an error's stack on the lines below.
 * JSON lines stay the format for collectors (`LOG_FORMAT=json`, and whenever stdout is no TTY).
 */
const LEVELS: Readonly<Record<number, { name: string; colour: number }>> = {
  10: { name: 'TRACE', colour: 90 },
  20: { name: 'DEBUG', colour: 90 },
  30: { name: 'INFO', colour: 32 },
  40: { name: 'WARN', colour: 33 },
  50: { name: 'ERROR', colour: 31 },
  60: { name: 'FATAL', colour: 35 },
};

/** What pino writes on every line that the plain line shows elsewhere or not at all. */
const HIDDEN = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'err']);

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** `2026-12-07 14:18:00` in the machine's local time, as the person at its terminal reads clocks. */
function localTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

function fieldValue(value: unknown): string {
  if (typeof value === 'string') return value === '' || /[\s"=]/.test(value) ? JSON.stringify(value) : value;
  if (value === null || typeof value !== 'object') return String(value);
  return JSON.stringify(value);
}

/** One JSON log record as a plain line; `colour` adds ANSI colours for the level. */
export function formatLogLine(record: Record<string, unknown>, options: { colour?: boolean } = {}): string {
  const level = LEVELS[Number(record.level)] ?? { name: String(record.level ?? '?').toUpperCase(), colour: 0 };
  const name = level.name.padEnd(5);
  const shown = options.colour ? `\u001b[${level.colour}m${name}\u001b[39m` : name;
  const time = typeof record.time === 'number' ? localTime(record.time) : '';
  const fields = Object.entries(record)
    .filter(([key, value]) => !HIDDEN.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${fieldValue(value)}`);
  let line = `${time} ${shown} ${typeof record.msg === 'string' ? record.msg : ''}`.trimEnd();
  if (fields.length > 0) line += `  ${fields.join(' ')}`;
  const err = record.err as { type?: string; message?: string; stack?: string } | undefined;
  if (err && typeof err === 'object') line += `\n    ${(err.stack ?? `${err.type ?? 'Error'}: ${err.message ?? ''}`).split('\n').join('\n    ')}`;
  return line;
}

/**
 * A destination for pino that writes plain lines to `out`, synchronously (pino calls `write` with
 * one JSON line at a time). A line that is not JSON is passed through: a log must never throw.
 */
export function plainLogDestination(out: { write(text: string): unknown }, options: { colour?: boolean } = {}): { write(line: string): void } {
  return {
    write(line) {
      let shown = line.trimEnd();
      try {
        shown = formatLogLine(JSON.parse(shown) as Record<string, unknown>, options);
      } catch {
        // not JSON: as it is
      }
      out.write(`${shown}\n`);
    },
  };
}
