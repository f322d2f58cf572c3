/**
 * Service-neutral request plumbing: the parsed request every service adapter receives, the reply it returns,
 * and the restJson1 route table matcher shared by Connect and Customer Profiles.
 */
import type { EmulatorState } from "./state.ts";
import type { Journal } from "./journal.ts";
import { ServiceError, decodePathSegment, toRestJson } from "./wire.ts";

/** An HTTP request as the adapters see it (body fully read). */
export interface ParsedRequest {
  method: string;
  /** Raw (still percent-encoded) path, without query. */
  rawPath: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  requestId: string;
}

/** What a handler produces; the server writes it. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

/** Context handed to every handler. */
export interface CallContext {
  state: EmulatorState;
  journal: Journal;
  now(): Date;
  /** Records the ids of what a mutating call touched, for the journal (ids only, never values). */
  note(ids: Record<string, unknown>): void;
}

/** A request resolved to one operation, ready for faults, quotas, journaling and execution. */
export interface ResolvedCall {
  op: string;
  mutating: boolean;
  /** Extra discriminator for the token bucket (S3 partitions per bucket). */
  quotaKey?: string;
  /** Tokens this call consumes (an S3 DeleteObjects key counts as one write each). */
  cost?: number;
  /** Ids known before the handler runs (path labels), so refused or faulted calls are journaled with them. */
  ids?: Record<string, unknown>;
  run(ctx: CallContext): Reply;
}

/** How a service renders errors and resolves requests. */
export interface ServiceAdapter {
  resolve(req: ParsedRequest): ResolvedCall;
  renderError(err: ServiceError, req: ParsedRequest): Reply;
}

type QueryKind = "string" | "int" | "list" | "bool";

/** One restJson1 operation binding, as in the service model's `@http` trait. */
export interface JsonRoute {
  method: string;
  path: string;
  op: string;
  mutating?: boolean;
  /** Query parameter name → input member (Connect uses camelCase names, Profiles kebab-case). */
  query?: Record<string, readonly [member: string, kind: QueryKind]>;
  handler(input: Record<string, unknown>, ctx: CallContext): unknown;
}

/** Adapts a handler typed with its SDK command input to the route table's untyped handler signature. */
export const jsonHandler = <I>(fn: (input: I, ctx: CallContext) => unknown): JsonRoute["handler"] => fn as unknown as JsonRoute["handler"];

/** Both restJson1 services answer an unmatched path the same way. */
const unknownOperation = () => new ServiceError("UnknownOperationException", 404, "The operation is not supported by this emulator");

interface CompiledRoute extends JsonRoute {
  segments: { literal?: string; label?: string }[];
}

/** Compiles a route table once; matching is a linear scan over a few dozen routes. */
function compileRoutes(routes: JsonRoute[]): CompiledRoute[] {
  return routes.map((r) => ({
    ...r,
    segments: r.path
      .split("/")
      .slice(1)
      .map((s) => (s.startsWith("{") ? { label: s.slice(1, -1) } : { literal: s })),
  }));
}

function matchRoute(routes: CompiledRoute[], method: string, rawPath: string): { route: CompiledRoute; params: Record<string, string> } | undefined {
  const parts = rawPath.split("/").slice(1);
  for (const route of routes) {
    if (route.method !== method || route.segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < parts.length && ok; i++) {
      const seg = route.segments[i]!;
      const part = parts[i]!;
      if (seg.literal !== undefined) ok = seg.literal === part;
      else if (part === "") ok = false;
      else params[seg.label!] = decodePathSegment(part);
    }
    if (ok) return { route, params };
  }
  return undefined;
}

function readQuery(route: CompiledRoute, query: URLSearchParams, badRequest: (m: string) => ServiceError): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [name, [member, kind]] of Object.entries(route.query ?? {})) {
    const values = query.getAll(name);
    if (values.length === 0) continue;
    if (kind === "list") input[member] = values;
    else if (kind === "int") {
      const n = Number(values[0]);
      if (!Number.isInteger(n)) throw badRequest(`Invalid value for ${name}`);
      input[member] = n;
    } else if (kind === "bool") input[member] = values[0] === "true";
    else input[member] = values[0];
  }
  return input;
}

/**
 * Builds the adapter of a restJson1 service: path labels, query members and the JSON body are merged into the
 * operation input (as the SDK split them), errors go out with `x-amzn-ErrorType`.
 */
export function restJsonAdapter(routes: JsonRoute[], badRequest: (m: string) => ServiceError): ServiceAdapter {
  const compiled = compileRoutes(routes);
  return {
    resolve(req) {
      const matched = matchRoute(compiled, req.method, req.rawPath);
      if (!matched) {
        return {
          op: "UnknownOperation",
          mutating: false,
          run() {
            throw unknownOperation();
          },
        };
      }
      const { route, params } = matched;
      return {
        op: route.op,
        mutating: route.mutating ?? false,
        ids: { ...params },
        run(ctx) {
          let body: Record<string, unknown> = {};
          if (req.body.length > 0) {
            try {
              const parsed: unknown = JSON.parse(req.body.toString("utf8"));
              if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
              else throw new Error("not an object");
            } catch {
              throw badRequest("Request body is not a JSON object");
            }
          }
          const input = { ...body, ...readQuery(route, req.query, badRequest), ...params };
          return {
            status: 200,
            headers: { "content-type": "application/json", "x-amzn-requestid": req.requestId },
            body: toRestJson(route.handler(input, ctx)),
          };
        },
      };
    },
    renderError(err, req) {
      return {
        status: err.status,
        headers: { "content-type": "application/json", "x-amzn-errortype": err.code, "x-amzn-requestid": req.requestId },
        body: JSON.stringify({ message: err.message, Message: err.message, ...err.extra }),
      };
    },
  };
}
