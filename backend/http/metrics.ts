/**
 * Prometheus metrics, one registry per app instance (tests build many apps in one process). Labels are
 * route patterns, methods, statuses and request states only: never ids, usernames or anything a caller sent.
 */
import type { FastifyInstance } from "fastify";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { CallStats } from "../erasure/guarded-runner.ts";

/** Numbers the store reports at scrape time. */
export interface RequestStats {
  byStatus: Record<string, number>;
  overdue: number;
  steps: { step: string; status: string; count: number }[];
}

/** Exposes one per-operation map of the in-process worker's call statistics as a Prometheus counter. */
function awsCounter(registry: Registry, name: string, help: string, read: () => ReadonlyMap<string, number>): void {
  new Counter({
    name,
    help,
    labelNames: ["operation"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [operation, n] of read()) this.inc({ operation }, n);
    },
  });
}

/**
 * Registers request counters and `GET /metrics`; `readStats` is called on every scrape. `awsCalls` are the
 * statistics of a worker running in this process (absent when the worker runs elsewhere).
 */
export function registerMetrics(app: FastifyInstance, readStats: () => Promise<RequestStats>, awsCalls?: CallStats): Registry {
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

  const steps = new Gauge({
    name: "erasure_steps",
    help: "Erasure steps by step name and status (pending, running, retry, succeeded, failed)",
    labelNames: ["step", "status"] as const,
    registers: [registry],
  });
  if (awsCalls) {
    awsCounter(registry, "erasure_aws_calls_total", "AWS calls started by the worker, per operation", () => awsCalls.calls);
    awsCounter(registry, "erasure_aws_retries_total", "AWS calls retried in place after a retryable failure", () => awsCalls.retries);
    awsCounter(registry, "erasure_aws_throttles_total", "AWS answers that were throttling errors", () => awsCalls.throttles);
  }

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
    steps.reset();
    for (const s of stats.steps) steps.set({ step: s.step, status: s.status }, s.count);
    return reply.type(registry.contentType).send(await registry.metrics());
  });
  return registry;
}
