/**
 * `GET /api/requests/:id/events`: server-sent events carrying the request view on connect and after every
 * change. Each connection polls the store (default every 500 ms) and sends only when the view changed,
 * with a comment heartbeat so proxies keep the stream open; the poll stops when the client goes away.
 */
import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../app.ts";
import { actorOf } from "./auth.ts";
import { IdParams, loadVisibleRequest } from "./request-routes.ts";
import { loadRequestView } from "./request-view.ts";
import { responseHeaders } from "./security-headers.ts";

/** ms between store reads per open stream: a change reaches the browser within about this long. */
const POLL_MS = 500;
/** ms between comment lines that keep proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

/** Longest delay a Node timer accepts (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Registers the events route under the authenticated `/api` scope. */
export async function eventRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {  const open = new Set<() => void>();
  // Streams never go idle, so closing the app must end them or `close()` would wait forever.
  app.addHook("onClose", async () => {
    for (const end of open) end();
  });

  app.get(
    "/requests/:id/events",
    {
      // A HEAD would open a stream with no body to carry it.
      exposeHeadRoute: false,
      schema: { summary: "Server-sent events: the request view on every change", tags: ["requests"], params: IdParams },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { id } = request.params as { id: string };
      // Authorization (BOLA) happens before the stream opens, so a refusal is an ordinary JSON error.
      const first = await loadRequestView(deps.db, await loadVisibleRequest(deps, actor, id));

      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        ...responseHeaders(deps.config, request),
        "content-type": "text/event-stream; charset=utf-8",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      });
      let last = JSON.stringify(first);
      let seq = 1;
      res.write(`retry: 2000\nid: ${seq}\nevent: request\ndata: ${last}\n\n`);

      let closed = false;
      let polling = false;
      const poll = setInterval(() => {
        if (closed || polling) return;
        polling = true;
        loadVisibleRequest(deps, actor, id)
          .then((found) => loadRequestView(deps.db, found))
          .then((view) => {
            const next = JSON.stringify(view);
            if (!closed && next !== last) {
              last = next;
              seq += 1;
              res.write(`id: ${seq}\nevent: request\ndata: ${next}\n\n`);
            }
          })
          .catch((err: unknown) => {
            request.log.warn({ errName: err instanceof Error ? err.name : "unknown" }, "event poll failed");
            if (!closed) res.write(`event: error\ndata: {"code":"Unavailable"}\n\n`);
          })
          .finally(() => {
            polling = false;
          });
      }, POLL_MS);
      const heartbeat = setInterval(() => {
        if (!closed) res.write(": keep-alive\n\n");
      }, HEARTBEAT_MS);
      // The stream must not outlive the token that opened it: the client reconnects with a fresh one.
      const expiresInMs = (request.tokenExpiresAt?.getTime() ?? 0) - deps.clock().getTime();
      const expiry = setTimeout(() => {
        if (closed) return;
        res.write(`event: token-expired\ndata: {}\n\n`);
        end();
      }, Math.max(0, Math.min(expiresInMs, MAX_TIMER_MS)));
      const stop = () => {
        closed = true;
        clearInterval(poll);
        clearInterval(heartbeat);
        clearTimeout(expiry);
        open.delete(end);
      };
      const end = () => {
        stop();
        res.end();
      };
      open.add(end);
      request.raw.on("close", stop);
      res.on("close", stop);
    },
  );
}
