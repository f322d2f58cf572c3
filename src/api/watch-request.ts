import type { ErasureRequestView, RequestStatus } from "../../backend/contract/schemas.ts";
import type { ApiClient } from "./client.ts";
import { getRequest } from "./get-request.ts";

/** Polling interval when the event stream is unavailable; keeps a change visible within 2 s. */
export const POLL_INTERVAL_MS = 1500;

const FINAL_STATUSES: readonly RequestStatus[] = ["completed", "completed_with_residue", "rejected", "cancelled"];

/** True when a request can no longer change by itself (only `failed` can still be retried). */
export function isFinal(status: RequestStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

export interface WatchHandlers {
  onUpdate(request: ErasureRequestView): void;
  onError(error: unknown): void;
}

/**
 * Follows one request until `signal` aborts or it reaches a final status: server-sent events read through
 * `fetch` (EventSource cannot send the bearer header), each event triggering a fresh GET; if the stream
 * cannot be opened or breaks, it polls every POLL_INTERVAL_MS instead.
 */
export async function watchRequest(client: ApiClient, id: string, handlers: WatchHandlers, signal: AbortSignal): Promise<void> {
  let last: ErasureRequestView | undefined;
  const refresh = async () => {
    try {
      last = await getRequest(client, id, signal);
      handlers.onUpdate(last);
    } catch (error) {
      if (!signal.aborted) handlers.onError(error);
    }
  };
  const done = () => signal.aborted || (last !== undefined && isFinal(last.status));

  await refresh();
  if (done()) return;
  try {
    const response = await client.openStream(`/api/requests/${encodeURIComponent(id)}/events`, signal);
    if (!response.body) throw new Error("no stream body");
    await readEvents(response.body, signal, async (data) => {
      const view = asRequestView(data, id);
      if (view) {
        last = view;
        handlers.onUpdate(view);
      } else {
        await refresh();
      }
      return done();
    });
  } catch {
    // Fall through to polling: the stream is an optimisation, polling the contract's fallback.
  }
  while (!done()) {
    await delay(POLL_INTERVAL_MS, signal);
    if (!signal.aborted) await refresh();
  }
}

/** The event's data when it is this request's view; anything else only signals "something changed". */
function asRequestView(data: string, id: string): ErasureRequestView | undefined {
  try {
    const parsed = JSON.parse(data) as Partial<ErasureRequestView>;
    return parsed.id === id && typeof parsed.status === "string" && Array.isArray(parsed.steps)
      ? (parsed as ErasureRequestView)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Reads `text/event-stream` frames, passing each frame's data to `onEvent`, until it returns true. */
async function readEvents(body: ReadableStream<Uint8Array>, signal: AbortSignal, onEvent: (data: string) => Promise<boolean>): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    while (!signal.aborted) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      const frames = buffer.split(/\r?\n\r?\n/);
      buffer = frames.pop() ?? "";
      for (const frame of frames) {
        const lines = frame.split(/\r?\n/).filter((line) => line.startsWith("data:"));
        if (lines.length === 0) continue;
        if (await onEvent(lines.map((line) => line.slice(5).replace(/^ /, "")).join("\n"))) return;
      }
    }
  } finally {
    void reader.cancel().catch(() => undefined);
  }
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
