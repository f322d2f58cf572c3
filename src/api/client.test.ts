import { afterEach, describe, expect, it, vi } from "vitest";
import { stubFetch } from "../testing/fetch-stub.ts";
import { ApiError, createApiClient } from "./client.ts";

afterEach(() => vi.unstubAllGlobals());

describe("createApiClient", () => {
  it("when the API answers with the error contract, then it rejects with a typed ApiError", async () => {
    stubFetch([
      {
        method: "POST",
        path: "/api/requests/x/approve",
        reply: () => ({ status: 403, body: { error: { code: "SelfApproval", message: "You cannot approve your own request", requestId: "r-1" } } }),
      },
    ]);
    const client = createApiClient({ baseUrl: "", getToken: () => "t" });

    const error = await client.request("POST", "/api/requests/x/approve", { body: {} }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 403, code: "SelfApproval", message: "You cannot approve your own request", requestId: "r-1" });
  });

  it("when a 401 arrives, then the app is told so it can ask for sign-in again", async () => {
    stubFetch([{ method: "GET", path: "/api/me", reply: () => ({ status: 401, body: { error: { code: "Unauthorized", message: "expired" } } }) }]);
    const onUnauthorized = vi.fn();
    const client = createApiClient({ baseUrl: "", getToken: () => "t", onUnauthorized });

    await expect(client.request("GET", "/api/me")).rejects.toMatchObject({ code: "Unauthorized" });
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });

  it("when the body is not JSON, then the error still carries the status", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => new Response("<html>bad gateway</html>", { status: 502 })));
    const client = createApiClient({ baseUrl: "", getToken: () => undefined });

    await expect(client.request("GET", "/api/me")).rejects.toMatchObject({ status: 502, code: "Http502" });
  });
});
