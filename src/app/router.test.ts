import { describe, expect, it } from "vitest";
import { parseRoute } from "./router.ts";

describe("parseRoute", () => {
  it.each([
    ["", { name: "home" }],
    ["#/", { name: "home" }],
    ["#/review", { name: "review", id: undefined }],
    ["#/review/abc", { name: "review", id: "abc" }],
    ["#/requests/abc", { name: "request", id: "abc" }],
    ["#/certificates/abc", { name: "certificate", id: "abc" }],
    ["#/requests", { name: "not-found" }],
    ["#/review/a/b", { name: "not-found" }],
  ])("%s", (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });
});
