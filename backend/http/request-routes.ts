/**
 * The erasure request API: raise, list, read, and the human decisions (approve, reject, cancel, extend,
 * retry). Every handler checks the role first (BFLA), then the object (BOLA: a request the caller may not
 * see answers 404, exactly like one that does not exist, so ids cannot be probed).
 */
import { Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { AppDeps } from "../app.ts";
import { describeContact } from "../aws/connect-contacts.ts";
import {
  EmptyBody,
  ErasureRequestView,
  ExtendBody,
  ListQuery,
  RaiseRequestBody,
  RejectBody,
  RequestList,
  Uuid,
  type ExtendBody as ExtendBodyType,
  type ListQuery as ListQueryType,
  type RaiseRequestBody as RaiseBody,
  type RejectBody as RejectBodyType,
} from "../contract/schemas.ts";
import { canRaiseOnContact, canView, listFilterFor } from "../domain/policies.ts";
import type { Actor, ErasureRequest } from "../domain/request.ts";
import { AppError } from "../errors.ts";
import {
  approveRequest,
  cancelRequest,
  extendRequest,
  getRequest,
  listRequests,
  raiseRequest,
  rejectRequest,
  retryRequest,
} from "../requests/request-service.ts";
import { actorOf, requireSupervisor } from "./auth.ts";
import { loadRequestView, loadRequestViews } from "./request-view.ts";

export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

/** `Idempotency-Key`: 1..128 printable ASCII characters, no spaces (a repeated header joins with ", " and fails). */
const RaiseHeaders = Type.Object({
  "idempotency-key": Type.Optional(Type.String({ pattern: "^[\\x21-\\x7e]{1,128}$", description: "replays return the first result" })),
});

/**
 * Loads a request the actor may see.
 * @throws AppError `RequestNotFound` when it does not exist or belongs to someone else (BOLA: no 403 oracle).
 */
export async function loadVisibleRequest(deps: Pick<AppDeps, "db">, actor: Actor, id: string): Promise<ErasureRequest> {
  const found = await getRequest(deps.db, id);
  if (!canView(actor, found)) throw new AppError("RequestNotFound", "No such erasure request");
  return found;
}

const decision = { params: IdParams, response: { 200: ErasureRequestView } };

/** Approve, cancel and retry take no fields: an absent body counts as `{}`, anything else must be `{}`. */
async function defaultEmptyBody(request: FastifyRequest): Promise<void> {
  if (request.body === undefined || request.body === null) request.body = {};
}

/** Registers `/api/requests` and its sub-resources (except events, certificate and preview). */
export async function requestRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { config, db, clients, clock } = deps;

  /** The guard every decision shares: role first (BFLA), then visibility of the request (BOLA). */
  const decisionTarget = async (request: FastifyRequest, role: "supervisor" | "any"): Promise<{ actor: Actor; id: string }> => {
    const actor = actorOf(request);
    if (role === "supervisor") requireSupervisor(actor);
    const { id } = request.params as { id: string };
    await loadVisibleRequest(deps, actor, id);
    return { actor, id };
  };

  app.post(
    "/requests",
    { schema: { summary: "Raise an erasure request on a contact", tags: ["requests"], headers: RaiseHeaders, body: RaiseRequestBody, response: { 201: ErasureRequestView, 200: ErasureRequestView } } },
    async (request, reply) => {
      const actor = actorOf(request);
      const body = request.body as RaiseBody;
      const idempotencyKey = request.headers["idempotency-key"] as string | undefined;
      if (actor.role === "agent" && !actor.connectUserId) {
        throw new AppError("Forbidden", "No Amazon Connect user matches your username, so you cannot raise on a contact");
      }
      // The server, not the browser, decides whose contact this is and which chain it belongs to.
      const contact = await describeContact(clients.connect, config.connectInstanceId, body.contactId);
      if (!canRaiseOnContact(actor, contact.agentId)) {
        throw new AppError("Forbidden", "You can only raise a request on a contact you handled");
      }
      const raised = await raiseRequest(
        db,
        {
          contactId: contact.contactId,
          initialContactId: contact.initialContactId,
          instanceId: config.connectInstanceId,
          scope: body.scope,
          verification: body.verification,
          ...(body.note !== undefined ? { note: body.note } : {}),
        },
        actor,
        clock(),
        { hmacKey: deps.hmacKey, ...(idempotencyKey !== undefined ? { idempotencyKey } : {}) },
      );
      request.log.info({ replayed: raised.replayed, customerHistory: body.scope.customerHistory, noteLength: body.note?.length ?? 0 }, "erasure request raised");
      return reply
        .code(raised.replayed ? 200 : 201)
        .header("location", `/api/requests/${raised.request.id}`)
        .send(await loadRequestView(db, raised.request));
    },
  );

  app.get(
    "/requests",
    {
      schema: { summary: "List requests (agents: their own; supervisors: all)", tags: ["requests"], querystring: ListQuery, response: { 200: RequestList } },
      preValidation: async (request) => {
        // Query strings are text; only `limit` is numeric, and body validation stays strict (no coercion).
        const query = request.query as Record<string, unknown>;
        if (typeof query.limit === "string" && /^\d{1,6}$/.test(query.limit)) query.limit = Number(query.limit);
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const query = request.query as ListQueryType;
      const items = await listRequests(db, {
        ...listFilterFor(actor),
        ...(query.status ? { status: query.status } : {}),
        ...(query.contactId ? { contactId: query.contactId } : {}),
        limit: query.limit ?? 100,
      });
      return { items: await loadRequestViews(db, items) };
    },
  );

  app.get(
    "/requests/:id",
    { schema: { summary: "One request with steps, residue and deadline", tags: ["requests"], params: IdParams, response: { 200: ErasureRequestView } } },
    async (request) => {
      const { id } = request.params as { id: string };
      return loadRequestView(db, await loadVisibleRequest(deps, actorOf(request), id));
    },
  );

  app.post(
    "/requests/:id/approve",
    { schema: { summary: "Approve (a supervisor other than the requester)", tags: ["decisions"], ...decision, body: EmptyBody }, preValidation: defaultEmptyBody },
    async (request) => {
      const { actor, id } = await decisionTarget(request, "supervisor");
      return loadRequestView(db, await approveRequest(db, id, actor, clock()));
    },
  );

  app.post(
    "/requests/:id/reject",
    { schema: { summary: "Reject with an Art. 17(3) reason", tags: ["decisions"], ...decision, body: RejectBody } },
    async (request) => {
      const { actor, id } = await decisionTarget(request, "supervisor");
      return loadRequestView(db, await rejectRequest(db, id, actor, clock(), request.body as RejectBodyType));
    },
  );

  app.post(
    "/requests/:id/cancel",
    { schema: { summary: "Withdraw your own pending request", tags: ["decisions"], ...decision, body: EmptyBody }, preValidation: defaultEmptyBody },
    async (request) => {
      // Any role may withdraw: the state machine allows only the requester to cancel.
      const { actor, id } = await decisionTarget(request, "any");
      return loadRequestView(db, await cancelRequest(db, id, actor, clock()));
    },
  );

  app.post(
    "/requests/:id/extend",
    { schema: { summary: "Extend the deadline once, by up to two months", tags: ["decisions"], ...decision, body: ExtendBody } },
    async (request) => {
      const { actor, id } = await decisionTarget(request, "supervisor");
      const { reason } = request.body as ExtendBodyType;
      return loadRequestView(db, await extendRequest(db, id, actor, clock(), { reason }));
    },
  );

  app.post(
    "/requests/:id/retry",
    { schema: { summary: "Re-queue the failed steps of a failed request", tags: ["decisions"], ...decision, body: EmptyBody }, preValidation: defaultEmptyBody },
    async (request) => {
      const { actor, id } = await decisionTarget(request, "supervisor");
      return loadRequestView(db, await retryRequest(db, id, actor, clock()));
    },
  );
}
