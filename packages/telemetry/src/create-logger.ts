import { pino, stdTimeFunctions, type Logger } from 'pino';
import { currentLogContext } from './log-context';

export type { Logger };
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
/** json: one JSON object a line; text: `time [LEVEL] msg (fields)` for people; auto: text on a terminal. */
export type LogFormat = 'auto' | 'json' | 'text';

/** Where lines go: process.stdout, or anything with write() (tests collect them). */
export interface LogSink {
  write(line: string): unknown;
  isTTY?: boolean;
}

export interface LoggerOptions {
  level: LogLevel;
  format: LogFormat;
  /** `api`, `worker`, `stack` (gansight start): on every line. */
  role: string;
  sink?: LogSink;
}

/** Whether `format` writes JSON to `sink` (auto: unless the sink is a terminal). */
export function writesJson(format: LogFormat, sink: LogSink = process.stdout): boolean {
  return format === 'json' || (format === 'auto' && !sink.isTTY);
}

/** A pino logger writing JSON lines (level, time, msg, role, request/job/factory ids) or readable text. */
export function createLogger(o: LoggerOptions): Logger {
  const sink = o.sink ?? process.stdout;
  return pino(
    {
      level: o.level,
      base: { role: o.role, pid: process.pid },
      timestamp: stdTimeFunctions.isoTime,
      // "level":"info" rather than pino's numbers: what log collectors and people filter on.
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => ({ ...currentLogContext() }),
    },
    writesJson(o.format, sink) ? sink : textSink(sink),
  );
}

const STANDARD = new Set(['level', 'time', 'msg', 'role', 'pid', 'hostname']);

/** Formats pino's JSON as the plain lines `gansight start` always printed, ids in brackets at the end. */
function textSink(sink: LogSink): LogSink {
  return {
    write(json: string) {
      const entry = JSON.parse(json) as Record<string, unknown>;
      const level = entry.level === 'info' ? '' : `${String(entry.level).toUpperCase()} `;
      const extra = Object.entries(entry)
        .filter(([k, v]) => !STANDARD.has(k) && v !== undefined)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
      sink.write(`${String(entry.time)} ${level}${String(entry.msg ?? '')}${extra.length ? ` (${extra.join(' ')})` : ''}\n`);
    },
  };
}

/**
 * The `log(line)` callback the rest of Gansight takes, on a logger. Lines carry no level, so the
 * words of the ones that report trouble pick it: "internal error" and graphile-worker's
 * "error:" are errors; "failed" and "warning:" are warnings; the rest is info.
 */
export function lineLog(logger: Logger): (line: string) => void {
  return (line) => {
    if (/^internal error\b|\berror: /.test(line)) logger.error(line);
    else if (/\bfailed\b|\bwarning: /.test(line)) logger.warn(line);
    else logger.info(line);
  };
}
