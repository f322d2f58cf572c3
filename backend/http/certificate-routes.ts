/**
 * `GET /api/requests/:id/certificate`: the erasure certificate of a finished request, for its requester or any
 * supervisor. JSON by default; a printable HTML page with `?format=html` or `Accept: text/html`.
 */
import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../app.ts";
import { CertificateView } from "../contract/schemas.ts";
import { certificateHtml, issueCertificate } from "../erasure/certificate.ts";
import { actorOf } from "./auth.ts";
import { IdParams, loadVisibleRequest } from "./request-routes.ts";

const CertificateQuery = Type.Object(
  { format: Type.Optional(Type.Union([Type.Literal("json"), Type.Literal("html")])) },
  { additionalProperties: false },
);

/** Registers the certificate route under the authenticated `/api` scope. */
export async function certificateRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.get(
    "/requests/:id/certificate",
    {
      schema: {
        summary: "Certificate of a completed erasure; its hash is entered in the audit chain",
        tags: ["requests"],
        params: IdParams,
        querystring: CertificateQuery,
        response: { 200: CertificateView },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const { format } = request.query as { format?: "json" | "html" };
      await loadVisibleRequest(deps, actorOf(request), id);
      const certificate = await issueCertificate(deps.db, id, deps.clock());
      const wantsHtml = format === "html" || (format === undefined && (request.headers.accept ?? "").includes("text/html"));
      if (wantsHtml) return reply.type("text/html; charset=utf-8").send(certificateHtml(certificate));
      return certificate;
    },
  );
}
