import { isRecord } from '#functions/runtime/guards';

/**
 * The API's logger: one JSON object per line on stdout, which CloudWatch
 * Logs keeps as it is (process.stdout, not console, whose Lambda version
 * prefixes each line) and the local server's terminal shows the same way.
 * Small on purpose: a logging library would cost the bundle budget more than
 * these few fields are worth (docs/operations.md).
 *
 * `ACCORD_LOG` picks what is written: `info` (the default: everything),
 * `warn` (warnings and errors), `error` (errors only) or `silent` (nothing;
 * the tests).
 */
export type LogLevel = 'info' | 'warn' | 'error';

const rank: Record<LogLevel | 'silent', number> = { info: 1, warn: 2, error: 3, silent: 4 };

function threshold(): number {
  const setting = process.env.ACCORD_LOG;
  return setting === 'silent' || setting === 'error' || setting === 'warn' ? rank[setting] : rank.info;
}

/** Writes one line, whatever its level, unless logging is silent; metric lines go through here too. */
export function writeLine(record: Record<string, unknown>, level: LogLevel = 'info'): void {
  if (rank[level] < threshold()) return;
  process.stdout.write(`${JSON.stringify(record)}\n`);
}

/** An error as plain fields, with its chain of causes (bounded), so the log says why, not only what. */
export function describeError(error: unknown, depth = 0): Record<string, unknown> | string {
  if (!(error instanceof Error)) return String(error);
  const described: Record<string, unknown> = { name: error.name, message: error.message };
  if ('code' in error && typeof error.code === 'string') described.code = error.code;
  const status = '$metadata' in error && isRecord(error.$metadata) ? error.$metadata.httpStatusCode : undefined;
  if (status !== undefined) described.httpStatusCode = status;
  if (error.stack) described.stack = error.stack.split('\n').slice(0, 6).join('\n');
  if (error instanceof AggregateError && depth < 3)
    described.errors = error.errors.slice(0, 5).map((e) => describeError(e, depth + 1));
  if (error.cause !== undefined && depth < 3) described.cause = describeError(error.cause, depth + 1);
  return described;
}

const entry = (level: LogLevel, message: string, fields: Record<string, unknown>) => ({
  level,
  time: new Date().toISOString(),
  message,
  ...fields,
});

export const log = {
  info: (message: string, fields: Record<string, unknown> = {}) => writeLine(entry('info', message, fields), 'info'),
  warn: (message: string, fields: Record<string, unknown> = {}) => writeLine(entry('warn', message, fields), 'warn'),
  error: (message: string, error: unknown, fields: Record<string, unknown> = {}) =>
    writeLine(entry('error', message, { ...fields, error: describeError(error) }), 'error'),
};
