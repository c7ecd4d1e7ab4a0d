/**
 * The server's logger: JSON lines for log collectors, plain lines when a person watches the
 * terminal (`LOG_FORMAT=plain`, the default on a TTY; `LOG_FORMAT=json` asks for JSON anyway).
 * Safe by construction: every string that reaches a log line, messages, fields and error stacks
 * alike, has phone and ID numbers masked,
 * and reporter fields are redacted, so a log shipped to a vendor leaks no citizen's number.
 */
import { pino, stdSerializers, type Logger, type LoggerOptions } from 'pino';
import { maskNumbersInText } from './domain/incidents/masking.ts';
import { plainLogDestination } from './log-lines.ts';

/** Deep copy with every string masked; depth-limited so a cyclic or huge object cannot stall logging. */
export function scrubForLog(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskNumbersInText(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (value instanceof Error) return scrubForLog(stdSerializers.err(value), depth + 1);
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => scrubForLog(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubForLog(v, depth + 1);
  return out;
}

/** Options every server logger uses (main, tests, bench): pass them to `pino()`. */
export const SAFE_LOG_OPTIONS: LoggerOptions = {
  redact: { paths: ['reporter', '*.reporter', 'req.headers.authorization', 'req.headers.cookie', 'token', '*.token'], censor: '[redacted]' },
  serializers: { err: (err: Error) => scrubForLog(stdSerializers.err(err)) as ReturnType<typeof stdSerializers.err> },
  formatters: { log: (object) => scrubForLog(object) as Record<string, unknown> },
  hooks: {
    logMethod(args, method) {
      // The message (and any printf-style arguments) are strings pino writes as they are.
      const scrubbed = args.map((a) => (typeof a === 'string' ? maskNumbersInText(a) : a)) as typeof args;
      method.apply(this, scrubbed);
    },
  },
};

export function createLogger(env: NodeJS.ProcessEnv): Logger {
  const level = env.LOG_LEVEL?.trim() || 'info';
  const format = env.LOG_FORMAT?.trim() || (process.stdout.isTTY ? 'plain' : 'json');
  if (format === 'json') return pino({ level, ...SAFE_LOG_OPTIONS });
  // `pretty` was this setting's name before the plain lines: it still means them.
  return pino({ level, ...SAFE_LOG_OPTIONS }, plainLogDestination(process.stdout, { colour: Boolean(process.stdout.isTTY) && !env.NO_COLOR }));
}
