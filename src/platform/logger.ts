/**
 * Structured logs: one line per event. On a terminal they read as `time level message key=value`;
 * otherwise (CI, a log collector) each line is JSON.
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}
export type LogFields = Record<string, unknown>;
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (line) => process.stderr.write(line + '\n'),
  pretty = Boolean(process.stderr.isTTY),
): Logger {
  const log = (entryLevel: Exclude<LogLevel, 'silent'>, message: string, fields: LogFields = {}) => {
    if (RANK[entryLevel] < RANK[level]) return;
    const time = new Date().toISOString();
    if (!pretty) {
      write(JSON.stringify({ time, level: entryLevel, message, ...fields }));
      return;
    }
    const extras = Object.entries(fields)
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(' ');
    write(
      `${time.slice(11, 23)} ${entryLevel.toUpperCase().padEnd(5)} ${message}${extras ? ' ' + extras : ''}`,
    );
  };
  return {
    debug: (message, fields) => log('debug', message, fields),
    info: (message, fields) => log('info', message, fields),
    warn: (message, fields) => log('warn', message, fields),
    error: (message, fields) => log('error', message, fields),
  };
}

export const silentLogger: Logger = createLogger('silent');
