/** Serves the built front end (`dist/`) when it exists, under the same headers as the API. */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

/** Registers static serving of `distDir` if it holds a build; the harness page is never served in production. */
export async function registerStaticFiles(app: FastifyInstance, options: { distDir: string; production: boolean }): Promise<void> {
  const root = resolve(options.distDir);
  if (!existsSync(resolve(root, "index.html"))) return;
  await app.register(fastifyStatic, {
    root,
    prefix: "/",
    wildcard: true,
    index: ["index.html"],
    cacheControl: false,
    etag: true,
    allowedPath: (pathName) => !(options.production && pathName.startsWith("/harness")),
  });
}
