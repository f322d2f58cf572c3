/**
 * Prometheus metrics, one registry per app instance (tests build many apps in one process). Labels are
 * route patterns, methods, statuses and request states only: never ids, usernames or anything a caller sent.
 */
import type { FastifyInstance } from "fastify";
import { Counter, Gauge, Histogram, Registry } from "prom-client";

/** Numbers the store reports at scrape time. */
export interface RequestStats {
  byStatus: Record<string, number>;
  overdue: number;
}

/** Registers request counters and `GET /metrics`; `readStats` is called on every scrape. */
export function registerMetrics(app: FastifyInstance, readStats: () => Promise<RequestStats>): Registry {
  const registry = new Registry();
  const requests = new Counter({
    name: "http_requests_total",
    help: "HTTP requests by route pattern, method and status",
    labelNames: ["method", "route", "status"] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request duration by route pattern",
    labelNames: ["method", "route"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const byState = new Gauge({
    name: "erasure_requests",
    help: "Erasure requests by state",
    labelNames: ["status"] as const,
    registers: [registry],
  });
  const overdue = new Gauge({
    name: "erasure_requests_overdue",
    help: "Open erasure requests past their (extended) Art. 12(3) deadline",
    registers: [registry],
  });

  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unmatched";
    if (route === "/metrics") return;
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  app.get("/metrics", async (_request, reply) => {
    const stats = await readStats();
    byState.reset();
    for (const [status, n] of Object.entries(stats.byStatus)) byState.set({ status }, n);
    overdue.set(stats.overdue);
    return reply.type(registry.contentType).send(await registry.metrics());
  });
  return registry;
}
