/** `GET /api/me`: who the server thinks the caller is (identity, role, Connect user id). */
import type { FastifyInstance } from "fastify";
import { Me } from "../contract/schemas.ts";
import { actorOf } from "./auth.ts";

/** Registers `/me` under the authenticated `/api` scope. */
export async function meRoutes(app: FastifyInstance): Promise<void> {
  app.get("/me", { schema: { summary: "The signed-in user", tags: ["identity"], response: { 200: Me } } }, async (request) => {
    const { subject, username, role, connectUserId } = actorOf(request);
    return { subject, username, role, ...(connectUserId ? { connectUserId } : {}) };
  });
}
