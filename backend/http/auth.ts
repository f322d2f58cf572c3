/**
 * The authentication hook for `/api`: every request there carries a verified bearer token before its body
 * is even parsed, and handlers read the caller from `request.actor`.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Actor } from "../domain/request.ts";
import { AppError } from "../errors.ts";
import type { Authenticator } from "../identity/authenticator.ts";

declare module "fastify" {
  interface FastifyRequest {
    actor: Actor | null;
    /** When the caller's token expires (event streams close then). */
    tokenExpiresAt: Date | null;
  }
}

/** Adds the `onRequest` hook that authenticates every route of `scope`. */
export function registerAuth(scope: FastifyInstance, authenticator: Authenticator, clock: () => Date): void {
  scope.decorateRequest("actor", null);
  scope.decorateRequest("tokenExpiresAt", null);
  scope.addHook("onRequest", async (request) => {
    const { actor, expiresAt } = await authenticator.authenticate(request.headers.authorization, clock());
    request.actor = actor;
    request.tokenExpiresAt = expiresAt;
    request.log.debug({ role: actor.role }, "authenticated");
  });
}

/** The authenticated caller. @throws AppError `Unauthenticated` if the hook did not run. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError("Unauthenticated", "Missing bearer token");
  return request.actor;
}

/** Route-level role check (BFLA). @throws AppError `Forbidden`. */
export function requireSupervisor(actor: Actor): void {
  if (actor.role !== "supervisor") throw new AppError("Forbidden", "This action needs the supervisor role");
}
