import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarnessServer, type HarnessServer } from "../../backend/demo/harness-server.ts";

let dist: string;
let server: HarnessServer;

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), "harness-dist-"));
  mkdirSync(join(dist, "assets"));
  writeFileSync(join(dist, "harness.html"), "<!doctype html><title>harness</title>");
  writeFileSync(join(dist, "index.html"), "<!doctype html><title>app</title>");
  writeFileSync(join(dist, "assets", "harness-1.js"), "export {};");
  server = await startHarnessServer({ port: 0, appUrl: "http://localhost:9", emulatorUrl: "http://127.0.0.1:10", distDir: dist });
});

afterAll(async () => {
  await server.close();
  rmSync(dist, { recursive: true, force: true });
});

describe("startHarnessServer", () => {
  it("serves the harness page with nosniff at the root", async () => {
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await response.text()).toContain("<title>harness</title>");
  });

  it("tells the page where the app and the emulator are", async () => {
    const response = await fetch(`${server.url}/harness-config.json`);
    expect(await response.json()).toEqual({ appUrl: "http://localhost:9", emulatorUrl: "http://127.0.0.1:10" });
  });

  it("serves build assets with their type", async () => {
    const response = await fetch(`${server.url}/assets/harness-1.js`);
    expect(response.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(await response.text()).toBe("export {};");
  });

  it.each(["/assets/..%2findex.html", "/assets/..%2f..%2fetc%2fpasswd", "/index.html.map", "/package.json"])(
    "when asked for %s, then it answers 404 and never the app or anything outside dist",
    async (path) => {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain("<title>app</title>");
    },
  );

  it("refuses writes", async () => {
    expect((await fetch(`${server.url}/`, { method: "POST" })).status).toBe(405);
  });
});
