import pino from 'pino';

/**
 * Structured JSON logs. Secrets are redacted by path as a second line of defence; the first is
 * that handlers never log tokens, site keys or learner messages in full (see `maskKey`).
 */
export function createLogger(level: pino.LevelWithSilent, destination?: pino.DestinationStream): pino.Logger {
  return pino(
    {
      level,
      base: { service: 'trogiang' },
      redact: {
        paths: ['req.headers.authorization', 'headers.authorization', '*.apiKey', '*.adminToken', 'question', 'message'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/** `tg_pub_abcdefgh…` → `tg_pub_abcd…`: enough to tell keys apart in logs, not to use one. */
export function maskKey(key: string | undefined): string | undefined {
  if (!key) return undefined;
  return key.length <= 11 ? '…' : `${key.slice(0, 11)}…`;
}
