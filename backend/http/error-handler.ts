/**
 * The one place HTTP errors are shaped: `{ error: { code, message, requestId } }`. 4xx messages say what
 * the caller got wrong (never echoing the body); 5xx messages are generic and carry only the request id,
 * while the log line keeps the cause for operators.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { AppError, toAppError } from "../errors.ts";

interface AjvIssue {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

function fieldPath(context: string, instancePath: string | undefined): string {
  const rest = (instancePath ?? "").split("/").filter((p) => p.length > 0);
  return [context, ...rest].join(".");
}

/** Turns an ajv issue into a sentence naming the field; values are never echoed. */
export function describeValidationIssue(context: string, issue: AjvIssue): string {
  const at = fieldPath(context, issue.instancePath);
  const params = issue.params ?? {};
  switch (issue.keyword) {
    case "additionalProperties":
      return `${at} has an unknown field "${String(params.additionalProperty).slice(0, 64)}"`;
    case "required":
      return `${at}.${String(params.missingProperty)} is required`;
    case "type":
      return `${at} must be ${String(params.type)}`;
    case "maxLength":
      return `${at} must be at most ${String(params.limit)} characters`;
    case "minLength":
      return `${at} must be at least ${String(params.limit)} characters`;
    case "pattern":
      if (context === "headers") return `Header ${at.slice("headers.".length)} must be 1 to 128 printable characters without spaces`;
      return `${at} has the wrong format${context === "params" || at.endsWith("Id") || at.endsWith("id") ? " (expected a UUID)" : ""}`;
    case "const":
    case "enum":
    case "anyOf":
      return `${at} is not one of the allowed values`;
    default:
      return `${at} ${issue.message ?? "is invalid"}`;
  }
}

/** Maps Fastify's own request errors (parser, body size, validation) to AppErrors with clear messages. */
function fromFastifyError(err: FastifyError, bodyLimit: number): AppError | undefined {
  if (err.validation) {
    const context = err.validationContext ?? "body";
    const first = err.validation[0] as AjvIssue | undefined;
    const message = first ? describeValidationIssue(context, first) : `${context} is invalid`;
    return new AppError("ValidationFailed", message, { details: { field: fieldPath(context, first?.instancePath) } });
  }
  switch (err.code) {
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new AppError("UnsupportedMediaType", "Content-Type must be application/json");
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new AppError("PayloadTooLarge", `Request body exceeds the limit of ${bodyLimit} bytes`);
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return new AppError("BadRequest", "Request body is empty; send a JSON object");
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return new AppError("BadRequest", "Content-Length does not match the body");
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      // Also covers `__proto__` / `constructor.prototype` keys, which the parser refuses (onProtoPoisoning).
      return new AppError("BadRequest", "Request body is not valid JSON");
    default:
      break;
  }
  if (err instanceof SyntaxError || err.name === "SyntaxError") return new AppError("BadRequest", "Request body is not valid JSON");
  if (typeof err.statusCode === "number" && err.statusCode >= 400 && err.statusCode < 500 && err.code?.startsWith("FST_")) {
    return new AppError("BadRequest", "Bad request", { httpStatus: err.statusCode });
  }
  return undefined;
}

function publicMessage(error: AppError): string {
  if (error.httpStatus < 500) return error.message;
  if (error.httpStatus === 503) return "Service temporarily unavailable; retry later";
  if (error.httpStatus === 502) return "An upstream service refused the request";
  return "Internal error";
}

/** Sends an AppError in the API's error shape (also used by hooks that answer early). */
export function sendError(request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  const body = {
    error: {
      code: error.httpStatus >= 500 && error.code === "Internal" ? "Internal" : error.code,
      message: publicMessage(error),
      requestId: request.id,
      ...(error.httpStatus < 500 && error.details ? { details: error.details } : {}),
    },
  };
  if (error.code === "MethodNotAllowed" && Array.isArray(error.details?.allow)) {
    reply.header("allow", (error.details.allow as string[]).join(", "));
  }
  return reply.code(error.httpStatus).type("application/json; charset=utf-8").send(body);
}

/** Routes patterns seen so far, so an unknown method on a known path answers 405 with `Allow`. */
export interface RouteIndex {
  add(method: string | string[], url: string): void;
  methodsFor(path: string): string[];
}

/** Builds an index over registered route patterns (`:param` matches one path segment). */
export function createRouteIndex(): RouteIndex {
  const entries: { re: RegExp; methods: Set<string> }[] = [];
  return {
    add(method, url) {
      const source = `^${url.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/:[A-Za-z0-9_]+/g, "[^/]+")}/?$`;
      let entry = entries.find((e) => e.re.source === source);
      if (!entry) {
        entry = { re: new RegExp(source), methods: new Set() };
        entries.push(entry);
      }
      for (const m of Array.isArray(method) ? method : [method]) entry.methods.add(m.toUpperCase());
    },
    methodsFor(path) {
      const out = new Set<string>();
      for (const e of entries) if (e.re.test(path)) for (const m of e.methods) out.add(m);
      return [...out].sort();
    },
  };
}

/** Installs the error handler and the 404/405 handler on the root instance. */
export function registerErrorHandling(app: FastifyInstance, options: { bodyLimit: number; routes: RouteIndex }): void {
  app.setErrorHandler((thrown: FastifyError, request, reply) => {
    const error = fromFastifyError(thrown, options.bodyLimit) ?? toAppError(thrown);
    const route = request.routeOptions.url ?? "unmatched";
    if (error.httpStatus >= 500) {
      const cause = error.cause instanceof Error ? error.cause : undefined;
      request.log.error(
        { code: error.code, route, errName: cause?.name ?? thrown.name, stack: (cause ?? thrown).stack },
        "request failed",
      );
    } else {
      request.log.info({ code: error.code, route, status: error.httpStatus }, "request refused");
    }
    return sendError(request, reply, error);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] ?? "/";
    const allow = options.routes.methodsFor(path).filter((m) => m !== "HEAD" && m !== "OPTIONS");
    if (allow.length > 0) {
      return sendError(request, reply, new AppError("MethodNotAllowed", `Method ${request.method} is not allowed here; use ${allow.join(" or ")}`, { details: { allow } }));
    }
    return sendError(request, reply, new AppError("NotFound", "No such route"));
  });
}
