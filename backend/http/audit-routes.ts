/** `GET /api/audit` and `GET /api/audit/verify`: the hash-chained audit trail, for supervisors only. */
import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../app.ts";
import { listAudit, verifyAudit } from "../audit/audit-log.ts";
import { AuditList, AuditVerification, Uuid } from "../contract/schemas.ts";
import { canViewAudit } from "../domain/policies.ts";
import { AppError } from "../errors.ts";
import { actorOf } from "./auth.ts";

const AuditQuery = Type.Object(
  {
    requestId: Type.Optional(Uuid),
    afterSeq: Type.Optional(Type.Integer({ minimum: 0 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);

function assertAuditor(request: Parameters<typeof actorOf>[0]): void {
  if (!canViewAudit(actorOf(request))) throw new AppError("Forbidden", "The audit trail is for supervisors");
}

/** Registers the audit routes under the authenticated `/api` scope. */
export async function auditRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.get(
    "/audit",
    {
      schema: { summary: "Audit entries in chain order", tags: ["audit"], querystring: AuditQuery, response: { 200: AuditList } },
      preValidation: async (request) => {
        const query = request.query as Record<string, unknown>;
        for (const key of ["afterSeq", "limit"]) {
          if (typeof query[key] === "string" && /^\d{1,9}$/.test(query[key])) query[key] = Number(query[key]);
        }
      },
    },
    async (request) => {
      assertAuditor(request);
      const query = request.query as { requestId?: string; afterSeq?: number; limit?: number };
      return { items: await listAudit(deps.db, { ...query, limit: query.limit ?? 200 }) };
    },
  );

  app.get(
    "/audit/verify",
    { schema: { summary: "Recompute the hash chain; names the first broken entry", tags: ["audit"], response: { 200: AuditVerification } } },
    async (request) => {
      assertAuditor(request);
      return verifyAudit(deps.db);
    },
  );
}
