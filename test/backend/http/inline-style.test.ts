import { createHash } from "node:crypto";
import Fastify from "fastify";
import { expect, it } from "vitest";
import { parseConfig } from "../../../backend/config.ts";
import { allowInlineStyle, registerSecurityHeaders } from "../../../backend/http/security-headers.ts";

it("When a server-rendered page declares its inline style, then only that reply's CSP allows exactly that style", async () => {
  const config = parseConfig({ FRAME_ANCESTORS: "https://example.my.connect.aws" });
  const app = Fastify();
  registerSecurityHeaders(app, config);
  const css = "body{margin:2rem}";
  app.get("/page", async (_request, reply) => {
    allowInlineStyle(reply, css);
    return reply.type("text/html").send(`<style>${css}</style><p>ok</p>`);
  });
  app.get("/other", async () => ({ ok: true }));
  const page = await app.inject({ method: "GET", url: "/page" });
  // sha256("body{margin:2rem}") in base64, computed independently of the implementation.
  const expected = createHash("sha256").update(css).digest("base64");
  expect(page.headers["content-security-policy"]).toContain(`style-src 'self' 'sha256-${expected}'`);
  expect(page.headers["content-security-policy"]).toContain("script-src 'self'");
  expect(page.headers["content-security-policy"]).toContain("frame-ancestors https://example.my.connect.aws");
  const other = await app.inject({ method: "GET", url: "/other" });
  expect(other.headers["content-security-policy"]).not.toContain("style-src");
  await app.close();
});
