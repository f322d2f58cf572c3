/**
 * Wire helpers shared by the three emulated services: request bodies, restJson1 replies and errors, opaque
 * paging tokens. Kept protocol-exact because the real SDK v3 deserialisers are the consumers.
 */
import type { IncomingMessage } from "node:http";
import { randomUUID } from "node:crypto";

/** An AWS-shaped error raised by a handler; the service router renders it in its own protocol. */
export class ServiceError extends Error {
  readonly code: string;
  readonly status: number;
  readonly extra: Record<string, unknown>;
  /** Response headers that belong to the error (S3 `x-amz-delete-marker` on a NoSuchKey, say). */
  readonly headers: Record<string, string>;
  constructor(code: string, status: number, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    super(message);
    this.code = code;
    this.status = status;
    this.extra = extra;
    this.headers = headers;
  }
}

/** Reads the whole request body; AWS requests are small enough to buffer. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Percent-decodes one path segment; a malformed escape is kept literally, as the services do. */
export function decodePathSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A request id in the format AWS uses for `x-amzn-requestid`. */
export function newRequestId(): string {
  return randomUUID();
}

/** JSON.stringify replacer: Smithy restJson1 timestamps are epoch seconds, never ISO strings. */
function epochSecondsReplacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const original = this[key];
  return original instanceof Date ? original.getTime() / 1000 : value;
}

/** Serialises a restJson1 output (Dates become epoch-second numbers). */
export function toRestJson(output: unknown): string {
  return JSON.stringify(output ?? {}, epochSecondsReplacer);
}

/** Encodes a list offset as an opaque, deterministic NextToken. */
function encodeToken(offset: number, scope: string): string {
  return Buffer.from(JSON.stringify({ o: offset, s: scope })).toString("base64url");
}

/** Decodes a NextToken from `encodeToken`; undefined for a missing token, null for a forged or foreign one. */
export function decodeToken(token: string | undefined, scope: string): number | null | undefined {
  if (token === undefined || token === "") return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { o?: unknown; s?: unknown };
    return typeof parsed.o === "number" && Number.isInteger(parsed.o) && parsed.o >= 0 && parsed.s === scope ? parsed.o : null;
  } catch {
    return null;
  }
}

/**
 * One page of `items` starting at a decoded token offset; `next` is `{ NextToken }` when more remain and `{}`
 * otherwise, so outputs spread it and never carry an undefined member.
 */
export function pageOf<T>(items: readonly T[], offset: number, pageSize: number, scope: string): { page: T[]; next: { NextToken?: string } } {
  const page = items.slice(offset, offset + pageSize);
  const end = offset + pageSize;
  return { page, next: end < items.length ? { NextToken: encodeToken(end, scope) } : {} };
}

/** Converts an ISO timestamp held in state into the Date a restJson1 output carries. */
export function isoToDate(iso: string | undefined): Date | undefined {
  return iso === undefined ? undefined : new Date(iso);
}
