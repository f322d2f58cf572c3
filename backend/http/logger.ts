/**
 * The process logger: pino with redaction of credentials, and no request bodies ever (Fastify's request
 * serializer logs method, route and ids only). Tests pass a destination stream to scan every line.
 */
import pino, { type DestinationStream, type Logger } from "pino";
import type { Config } from "../config.ts";

/** Paths masked in every log line, wherever a header object or token ends up. */
export const REDACT_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  "req.headers['idempotency-key']",
  "res.headers['set-cookie']",
  "headers.authorization",
  "headers.cookie",
  "authorization",
  "token",
  "body",
  "req.body",
];

interface LoggedRequest {
  method?: string;
  url?: string;
  ip?: string;
}

/**
 * Requests are logged by method and path only: the query string is dropped because a client could put
 * anything there, and headers (Authorization, cookies) are never serialized.
 */
function requestSerializer(req: LoggedRequest): Record<string, unknown> {
  return { method: req.method, path: (req.url ?? "").split("?")[0], remoteAddress: req.ip };
}

/** Creates the logger for `config.logLevel`, writing to stdout or to `destination`. */
export function createLogger(config: Pick<Config, "logLevel">, destination?: DestinationStream): Logger {
  const options = {
    level: config.logLevel,
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    serializers: { req: requestSerializer },
    base: { service: "connect-erasure" },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
