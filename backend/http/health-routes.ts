/** Liveness and readiness probes: `/healthz` answers while the process runs, `/readyz` only while the store does. */
import type { FastifyInstance } from "fastify";
import { Type } from "@sinclair/typebox";
import { AppError } from "../errors.ts";

const Status = Type.Object({ status: Type.String() });

/** Registers `/healthz` and `/readyz`; `pingStore` must reject when the store is unreachable. */
export async function healthRoutes(app: FastifyInstance, options: { pingStore: () => Promise<void> }): Promise<void> {
  app.get("/healthz", { schema: { summary: "Liveness", tags: ["ops"], response: { 200: Status } } }, async () => ({ status: "ok" }));
  app.get("/readyz", { schema: { summary: "Readiness: the store answers", tags: ["ops"], response: { 200: Status } } }, async () => {
    try {
      await options.pingStore();
    } catch (cause) {
      throw new AppError("StoreUnavailable", "Store is not reachable", { cause, retryable: true });
    }
    return { status: "ready" };
  });
}
