/**
 * A small OpenAPI 3.1 generator over the routes' own TypeBox schemas, collected as routes are added, so the
 * document can never drift from what the server validates.
 */
import type { FastifyInstance, RouteOptions } from "fastify";
import { ErrorBody } from "../contract/schemas.ts";

type JsonSchema = Record<string, unknown> & { properties?: Record<string, unknown>; required?: string[] };

interface Operation {
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: unknown[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
}

function plain(schema: unknown): JsonSchema {
  // TypeBox keeps its metadata under symbol keys; a JSON round trip leaves standard JSON Schema.
  return JSON.parse(JSON.stringify(schema)) as JsonSchema;
}

function parametersFrom(schema: unknown, where: "path" | "query" | "header"): unknown[] {
  if (!schema) return [];
  const s = plain(schema);
  return Object.entries(s.properties ?? {}).map(([name, sub]) => ({
    name,
    in: where,
    required: where === "path" || (s.required ?? []).includes(name),
    schema: sub,
  }));
}

/** Collects routes (via `onRoute`) and serves `GET /openapi.json`. Call before any route is added. */
export function registerOpenApi(app: FastifyInstance, info: { title: string; version: string }): void {
  const paths: Record<string, Record<string, Operation>> = {};

  app.addHook("onRoute", (route: RouteOptions) => {
    // Routes without a schema (metrics, key set, this document, static files) are not part of the API.
    if (!route.schema || route.url.includes("*")) return;
    const schema = route.schema as Record<string, unknown>;
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== "HEAD" && m !== "OPTIONS");
    const path = route.url.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
    const responses: Record<string, unknown> = {};
    for (const [status, body] of Object.entries((schema.response ?? {}) as Record<string, unknown>)) {
      responses[status] = { description: status.startsWith("2") ? "success" : "error", content: { "application/json": { schema: plain(body) } } };
    }
    responses.default = { description: "error", content: { "application/json": { schema: plain(ErrorBody) } } };
    const operation: Operation = {
      ...(typeof schema.summary === "string" ? { summary: schema.summary } : {}),
      ...(Array.isArray(schema.tags) ? { tags: schema.tags as string[] } : {}),
      ...(route.url.startsWith("/api/") ? { security: [{ bearer: [] }] } : {}),
      parameters: [...parametersFrom(schema.params, "path"), ...parametersFrom(schema.querystring, "query"), ...parametersFrom(schema.headers, "header")],
      ...(schema.body ? { requestBody: { required: true, content: { "application/json": { schema: plain(schema.body) } } } } : {}),
      responses,
    };
    for (const method of methods) {
      paths[path] ??= {};
      (paths[path] as Record<string, Operation>)[method.toLowerCase()] = operation;
    }
  });

  app.get("/openapi.json", async () => ({
    openapi: "3.1.0",
    info,
    paths,
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } } },
  }));
}
