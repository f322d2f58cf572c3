/**
 * `GET /api/contacts/:contactId/preview`: a dry run of what erasure would touch, counts only. Supervisors may
 * preview any contact; an agent only a contact they handled (otherwise 404, like a contact that does not exist).
 */
import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../app.ts";
import { describeContact } from "../aws/connect-contacts.ts";
import { PreviewView, Uuid } from "../contract/schemas.ts";
import { canRaiseOnContact, isSupervisor } from "../domain/policies.ts";
import { createGuardedRunner } from "../erasure/guarded-runner.ts";
import { previewErasure } from "../erasure/preview.ts";
import { createMemoryRateLimiter } from "../erasure/rate-limiter.ts";
import { createStorageConfigCache } from "../erasure/storage-config-cache.ts";
import { AppError } from "../errors.ts";
import { actorOf } from "./auth.ts";

const PreviewParams = Type.Object({ contactId: Uuid }, { additionalProperties: false });
const PreviewQuery = Type.Object(
  { customerHistory: Type.Optional(Type.Union([Type.Literal("true"), Type.Literal("false")])) },
  { additionalProperties: false },
);

/** Registers the preview route under the authenticated `/api` scope. */
export async function previewRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  // Previews stay under the AWS quotas like the worker does; this process's share is paced here.
  const run = createGuardedRunner({ limiter: createMemoryRateLimiter(Number(deps.config.quotaScale)), attempts: 2 });
  const storageConfigs = createStorageConfigCache(300_000);
  app.get(
    "/contacts/:contactId/preview",
    {
      schema: {
        summary: "Dry run: what erasing this contact would touch (counts only)",
        tags: ["requests"],
        params: PreviewParams,
        querystring: PreviewQuery,
        response: { 200: PreviewView },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { contactId } = request.params as { contactId: string };
      const { customerHistory } = request.query as { customerHistory?: "true" | "false" };
      if (!isSupervisor(actor)) {
        const contact = await describeContact(deps.clients.connect, deps.config.connectInstanceId, contactId);
        if (!canRaiseOnContact(actor, contact.agentId)) throw new AppError("ContactNotFound", "No such contact in this instance");
      }
      return previewErasure(
        { config: deps.config, clients: deps.clients, run, storageConfigs, now: deps.clock },
        contactId,
        customerHistory === "true",
      );
    },
  );
}
