import { pino, type Logger } from 'pino';

export type { Logger };

/** One structured line per request/command outcome. Secrets are never passed to it. */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: undefined, redact: ['token', 'auth.token', 'authorization'] });
}
