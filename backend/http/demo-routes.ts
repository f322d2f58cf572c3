/**
 * Demo sign-in (demo mode only): `POST /demo/token` mints a token for one of the four demo users and
 * `GET /demo/jwks.json` publishes the demo key set. Never registered in production mode.
 */
import type { FastifyInstance } from "fastify";
import { DemoTokenBody, DemoTokenResponse } from "../contract/schemas.ts";
import type { DemoIssuer } from "../identity/demo-issuer.ts";

/** Registers the demo issuer's routes. */
export async function demoRoutes(app: FastifyInstance, options: { issuer: DemoIssuer; clock: () => Date }): Promise<void> {
  app.post(
    "/demo/token",
    { schema: { summary: "Demo sign-in (demo mode only)", tags: ["demo"], body: DemoTokenBody, response: { 200: DemoTokenResponse } } },
    async (request) => {
      const { username } = request.body as { username: string };
      return { token: await options.issuer.mint(username, options.clock()) };
    },
  );
  app.get("/demo/jwks.json", async () => options.issuer.jwks);
}
