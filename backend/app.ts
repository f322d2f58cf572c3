/**
 * `buildApp(deps)` assembles the HTTP application from its dependencies and never listens: `main.ts` owns
 * the process (logger choice, ports, signals) and tests drive the app with `inject`. Order matters: the
 * route collector and the header, error and metrics hooks are installed before any route, so every route
 * and every status (200, 4xx, 404, 405, 5xx, static) gets the same headers and error shape.
 */
import { randomUUID } from "node:crypto";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { sql, type Kysely } from "kysely";
import type { Logger } from "pino";
import type { AwsClients } from "./aws/clients.ts";
import type { Config } from "./config.ts";
import { AppError } from "./errors.ts";
import { auditRoutes } from "./http/audit-routes.ts";
import { certificateRoutes } from "./http/certificate-routes.ts";
import { previewRoutes } from "./http/preview-routes.ts";
import { registerAuth } from "./http/auth.ts";
import { demoRoutes } from "./http/demo-routes.ts";
import { createRouteIndex, registerErrorHandling } from "./http/error-handler.ts";
import { eventRoutes } from "./http/event-routes.ts";
import { healthRoutes } from "./http/health-routes.ts";
import { meRoutes } from "./http/me-routes.ts";
import type { CallStats } from "./erasure/guarded-runner.ts";
import { registerMetrics } from "./http/metrics.ts";
import { registerOpenApi } from "./http/openapi.ts";
import { readRequestStats } from "./http/request-stats.ts";
import { requestRoutes } from "./http/request-routes.ts";
import { registerSecurityHeaders } from "./http/security-headers.ts";
import { registerStaticFiles } from "./http/static-files.ts";
import { createAuthenticator } from "./identity/authenticator.ts";
import { createDemoIssuer, type DemoIssuer } from "./identity/demo-issuer.ts";
import { createTokenVerifier, discoveredKeys, localKeys, type TokenVerifier } from "./identity/token-verifier.ts";
import type { Database } from "./store/schema.ts";

export interface AppDeps {
  config: Config;
  db: Kysely<Database>;
  clients: AwsClients;
  logger: Logger;
  clock: () => Date;
  /** Key for HMACs of contact ids in the audit log. */
  hmacKey: string;
  /** Demo mode: the embedded issuer (created here when absent; tests pass their own to forge tokens). */
  demoIssuer?: DemoIssuer;
  /** Folder of the built front end (default `dist`); served only when it holds index.html. */
  distDir?: string;
  /** Replaces the token verifier (production tests point it at a local IdP). */
  verifier?: TokenVerifier;
  /** Call statistics of a worker running in this process, exported on `/metrics`. */
  awsCallStats?: CallStats;
}

function buildVerifier(deps: AppDeps): { verifier: TokenVerifier; demoIssuer?: DemoIssuer } {
  const { config } = deps;
  if (config.mode === "production") {
    if (deps.demoIssuer) throw new AppError("ConfigInvalid", "Demo sign-in is refused in production mode");
    const verifier =
      deps.verifier ??
      createTokenVerifier({
        issuer: config.oidcIssuer,
        audience: config.oidcAudience,
        algorithms: config.oidcAlgorithms,
        keys: discoveredKeys(config.oidcIssuer),
        roleClaim: config.roleClaim,
      });
    return { verifier };
  }
  const demoIssuer = deps.demoIssuer ?? createDemoIssuer(config);
  const verifier = createTokenVerifier({
    issuer: demoIssuer.issuer,
    audience: demoIssuer.audience,
    algorithms: ["ES256"],
    keys: localKeys(demoIssuer.jwks),
    roleClaim: config.roleClaim,
  });
  return { verifier, demoIssuer };
}

/** Builds the Fastify app (not listening). @throws AppError `ConfigInvalid` for a demo issuer in production. */
export function buildApp(deps: AppDeps): FastifyInstance {
  const { config, db, clock } = deps;
  const { verifier, demoIssuer } = buildVerifier(deps);
  const authenticator = createAuthenticator({ config, clients: deps.clients, verifier });

  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    genReqId: () => randomUUID(),
    logController: new LogController({ requestIdLogLabel: "requestId" }),
    requestIdHeader: false,
    bodyLimit: config.bodyLimitBytes,
    onProtoPoisoning: "error",
    onConstructorPoisoning: "error",
    return503OnClosing: true,
    routerOptions: { maxParamLength: 200 },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: true, allErrors: false } },
  });
  // JSON only: Fastify's default text/plain parser would let non-JSON bodies through.
  app.removeContentTypeParser(["text/plain"]);

  const routes = createRouteIndex();
  app.addHook("onRoute", (route) => {
    if (!route.url.includes("*")) routes.add(route.method, route.url);
  });
  registerOpenApi(app, { title: "Connect Erasure API", version: "1" });
  registerSecurityHeaders(app, config);
  registerErrorHandling(app, { bodyLimit: config.bodyLimitBytes, routes });
  registerMetrics(app, () => readRequestStats(db, clock()), deps.awsCallStats);

  app.register(healthRoutes, {
    pingStore: async () => {
      await sql`select 1`.execute(db);
    },
  });
  if (demoIssuer) app.register(demoRoutes, { issuer: demoIssuer, clock });

  app.register(
    async (api) => {
      registerAuth(api, authenticator, clock);
      await api.register(meRoutes);
      await api.register(requestRoutes, deps);
      await api.register(eventRoutes, deps);
      await api.register(auditRoutes, deps);
      await api.register(certificateRoutes, deps);
      await api.register(previewRoutes, deps);
    },
    { prefix: "/api" },
  );

  app.register(registerStaticFiles, { distDir: deps.distDir ?? "dist", production: config.mode === "production" });
  return app;
}
