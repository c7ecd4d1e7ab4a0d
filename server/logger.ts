/**
 * The server's logger: JSON lines for log collectors, readable lines when a person watches the
 * terminal (`LOG_FORMAT=pretty`, the default on a TTY).
 */
import { pino, type Logger } from 'pino';

export function createLogger(env: NodeJS.ProcessEnv): Logger {
  const level = env.LOG_LEVEL?.trim() || 'info';
  const format = env.LOG_FORMAT?.trim() || (process.stdout.isTTY ? 'pretty' : 'json');
  if (format !== 'pretty') return pino({ level });
  return pino({
    level,
    transport: { target: 'pino-pretty', options: { translateTime: 'SYS:yyyy-mm-dd HH:MM:ss', ignore: 'pid,hostname', singleLine: true } },
  });
}
