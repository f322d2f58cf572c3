/**
 * Security headers and CORS for every response the app sends: routes, errors, 404/405, static files and
 * event streams. Written here instead of helmet because helmet's defaults (`frame-ancestors 'self'`,
 * `X-Frame-Options: SAMEORIGIN`) stop the Connect agent workspace from framing the app.
 */
import { createHash } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Config } from "../config.ts";

type HeaderConfig = Pick<Config, "frameAncestors" | "oidcIssuer" | "mode" | "corsOrigins">;

/** Inline `<style>` blocks a server-rendered page declared with `allowInlineStyle`, by reply. */
const inlineStyles = new WeakMap<FastifyReply, string[]>();

/**
 * Lets one server-rendered HTML reply (e.g. the printable certificate) use exactly this inline `<style>`
 * content: its SHA-256 is added to that reply's `style-src`; no other inline style and no script is allowed.
 */
export function allowInlineStyle(reply: FastifyReply, css: string): void {
  const hash = `'sha256-${createHash("sha256").update(css, "utf8").digest("base64")}'`;
  inlineStyles.set(reply, [...(inlineStyles.get(reply) ?? []), hash]);
}

/** The Content-Security-Policy for this configuration (same for API, app and static files). */
export function contentSecurityPolicy(config: HeaderConfig, styleHashes: readonly string[] = []): string {
  const idpOrigin = config.mode === "production" && config.oidcIssuer ? safeOrigin(config.oidcIssuer) : undefined;
  return [
    "default-src 'self'",
    "script-src 'self'",
    ...(styleHashes.length > 0 ? [`style-src 'self' ${styleHashes.join(" ")}`] : []),
    // The browser exchanges the PKCE code and refreshes tokens with the IdP directly.
    `connect-src 'self'${idpOrigin ? ` ${idpOrigin}` : ""}`,
    "object-src 'none'",
    "base-uri 'none'",
    `frame-ancestors ${config.frameAncestors.length > 0 ? config.frameAncestors.join(" ") : "'none'"}`,
  ].join("; ");
}

function safeOrigin(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

function corsHeaders(config: HeaderConfig, origin: string | undefined): Record<string, string> {
  // "null" (sandboxed frames, file://) is never an allowed origin, whatever the configuration says.
  if (!origin || origin === "null" || !config.corsOrigins.includes(origin)) return {};
  return { "access-control-allow-origin": origin, "access-control-expose-headers": "x-request-id" };
}

/**
 * Every header a response to `url` carries, whatever its status. Hashed build assets may be cached;
 * everything else (API, index.html, errors) must not be stored.
 */
export function responseHeaders(config: HeaderConfig, request: Pick<FastifyRequest, "url" | "id" | "headers">): Record<string, string> {
  return {
    "content-security-policy": contentSecurityPolicy(config),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "strict-transport-security": "max-age=31536000; includeSubDomains",
    "cross-origin-opener-policy": "same-origin-allow-popups",
    "cache-control": request.url.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-store",
    "x-request-id": request.id,
    ...(config.corsOrigins.length > 0 ? { vary: "Origin" } : {}),
    ...corsHeaders(config, request.headers.origin),
  };
}

/**
 * Registers the header hook and the CORS preflight answer on the root instance, so they cover every route
 * and every status (including those produced by the error and not-found handlers).
 */
export function registerSecurityHeaders(app: FastifyInstance, config: HeaderConfig): void {
  app.addHook("onRequest", async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method !== "OPTIONS" || request.headers["access-control-request-method"] === undefined) return;
    const cors = corsHeaders(config, request.headers.origin);
    if (Object.keys(cors).length === 0) {
      return reply.code(403).send({ error: { code: "Forbidden", message: "Origin not allowed", requestId: request.id } });
    }
    return reply
      .code(204)
      .headers({
        "access-control-allow-methods": "GET, POST",
        "access-control-allow-headers": "authorization, content-type, idempotency-key",
        "access-control-max-age": "600",
      })
      .send();
  });

  app.addHook("onSend", async (request, reply, payload) => {
    reply.headers(responseHeaders(config, request));
    const styles = inlineStyles.get(reply);
    if (styles) reply.header("content-security-policy", contentSecurityPolicy(config, styles));
    reply.removeHeader("x-powered-by");
    return payload;
  });
}
