import { afterEach, describe, expect, it, vi } from "vitest";
import type { ErasureRequestView } from "../../backend/contract/schemas.ts";
import { aRequest, REQUEST_ID } from "../testing/builders.ts";
import { ApiError, type ApiClient } from "./client.ts";
import { POLL_INTERVAL_MS, watchRequest } from "./watch-request.ts";

afterEach(() => vi.useRealTimers());

function sseBody(frames: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const frame of frames) controller.enqueue(encoder.encode(frame));
      controller.close();
    },
  });
}

function fakeClient(gets: ErasureRequestView[], stream: () => Promise<Response>): ApiClient & { getCount: () => number } {
  let count = 0;
  return {
    getCount: () => count,
    request: async <T,>() => {
      const next = gets[Math.min(count, gets.length - 1)];
      count += 1;
      return next as T;
    },
    openStream: stream,
  };
}

describe("watchRequest", () => {
  it("when the stream sends request views, then each becomes an update without extra GETs and it stops at a final status", async () => {
    const running = aRequest({ status: "running" });
    const completed = aRequest({ status: "completed" });
    const client = fakeClient([aRequest({ status: "approved" })], async () =>
      new Response(
        sseBody([
          `retry: 2000\nid: 1\nevent: request\ndata: ${JSON.stringify(running)}\n\n`,
          ": keep-alive\n\n",
          `id: 2\nevent: request\ndata: ${JSON.stringify(completed)}\n\n`,
        ]),
      ),
    );
    const updates: string[] = [];

    await watchRequest(client, REQUEST_ID, { onUpdate: (r) => updates.push(r.status), onError: vi.fn() }, new AbortController().signal);

    expect(updates).toEqual(["approved", "running", "completed"]);
    expect(client.getCount()).toBe(1);
  });

  it("when the stream cannot be opened, then it polls until the request is final", async () => {
    vi.useFakeTimers();
    const client = fakeClient(
      [aRequest({ status: "approved" }), aRequest({ status: "running" }), aRequest({ status: "completed_with_residue" })],
      async () => {
        throw new ApiError(404, "NotFound", "no events route");
      },
    );
    const updates: string[] = [];

    const watching = watchRequest(client, REQUEST_ID, { onUpdate: (r) => updates.push(r.status), onError: vi.fn() }, new AbortController().signal);
    await vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS * 3);
    await watching;

    expect(updates).toEqual(["approved", "running", "completed_with_residue"]);
    expect(POLL_INTERVAL_MS).toBeLessThanOrEqual(2000);
  });

  it("when aborted, then it stops polling", async () => {
    vi.useFakeTimers();
    const client = fakeClient([aRequest({ status: "pending_approval" })], async () => {
      throw new Error("offline");
    });
    const controller = new AbortController();

    const watching = watchRequest(client, REQUEST_ID, { onUpdate: vi.fn(), onError: vi.fn() }, controller.signal);
    await vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS * 2);
    controller.abort();
    await watching;
    const after = client.getCount();
    await vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS * 5);

    expect(client.getCount()).toBe(after);
    expect(after).toBe(3);
  });
});
