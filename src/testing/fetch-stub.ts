import { vi } from "vitest";

export interface StubRoute {
  method: "GET" | "POST";
  /** Path with query, matched exactly, or a RegExp over it. */
  path: string | RegExp;
  reply: (request: { body: unknown; headers: Headers }) => { status?: number; body?: unknown } | Promise<{ status?: number; body?: unknown }>;
}

export interface RecordedCall {
  method: string;
  path: string;
  body: unknown;
  headers: Headers;
}

/**
 * Replaces `fetch` with a table of routes; an unmatched request fails the test (like MSW's
 * `onUnhandledRequest: "error"`), so a component cannot silently call an endpoint nobody expected.
 */
export function stubFetch(routes: StubRoute[]) {
  const calls: RecordedCall[] = [];
  const unhandled: string[] = [];
  const fetchStub = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url, "http://app.test");
    const path = `${url.pathname}${url.search}`;
    const method = (init.method ?? "GET").toUpperCase();
    const headers = new Headers(init.headers);
    const body = typeof init.body === "string" && init.body ? (JSON.parse(init.body) as unknown) : undefined;
    calls.push({ method, path, body, headers });
    const route = routes.find((r) => r.method === method && (typeof r.path === "string" ? r.path === path : r.path.test(path)));
    if (!route) {
      unhandled.push(`${method} ${path}`);
      throw new Error(`Unhandled request ${method} ${path}`);
    }
    const { status = 200, body: replyBody } = await route.reply({ body, headers });
    return new Response(replyBody === undefined ? null : JSON.stringify(replyBody), {
      status,
      headers: { "content-type": "application/json" },
    });
  });
  vi.stubGlobal("fetch", fetchStub);
  return { calls, unhandled };
}
