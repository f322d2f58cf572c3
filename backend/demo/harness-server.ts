/**
 * Serves the local agent-workspace harness (demo and browser tests only) on its own port, so the app it
 * frames runs on a second origin as it does inside Amazon Connect.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, sep } from "node:path";

export interface HarnessServerOptions {
  /** 0 picks a free port. */
  port: number;
  /** Interface to bind; default 127.0.0.1 (loopback only). */
  host?: string;
  /** Origin (and path) of the app the harness frames, e.g. http://localhost:8080. */
  appUrl: string;
  /** Base URL of the AWS emulator; the harness starts, transfers and ends contacts through its control API. */
  emulatorUrl: string;
  /** The vite build output holding `harness.html` and `assets/`. */
  distDir: string;
  /** Connect instance id the harness reports to the app (optional; the backend uses its own configuration). */
  instanceId?: string;
}

export interface HarnessServer {
  url: string;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
  ".map": "application/json; charset=utf-8",
};

/** Starts the harness server; resolves once it listens. */
export async function startHarnessServer(options: HarnessServerOptions): Promise<HarnessServer> {
  const host = options.host ?? "127.0.0.1";
  const config = JSON.stringify({
    appUrl: options.appUrl,
    emulatorUrl: options.emulatorUrl,
    ...(options.instanceId ? { instanceId: options.instanceId } : {}),
  });
  const root = normalize(options.distDir);

  const server = createServer((request, response) => {
    void handle(request, response).catch(() => send(response, 500, "text/plain; charset=utf-8", "Internal error"));
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== "GET" && request.method !== "HEAD") {
      send(response, 405, "text/plain; charset=utf-8", "Method not allowed");
      return;
    }
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://harness").pathname);
    if (path === "/harness-config.json") {
      send(response, 200, CONTENT_TYPES[".json"]!, config);
      return;
    }
    const relative = path === "/" || path === "/index.html" ? "harness.html" : path.slice(1);
    // Only the harness page and build assets: never the app's index.html or anything outside dist/.
    if (relative !== "harness.html" && !relative.startsWith("assets/")) {
      send(response, 404, "text/plain; charset=utf-8", "Not found");
      return;
    }
    const file = normalize(join(root, relative));
    if (file !== join(root, "harness.html") && !file.startsWith(join(root, "assets") + sep)) {
      send(response, 404, "text/plain; charset=utf-8", "Not found");
      return;
    }
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) {
      send(response, 404, "text/plain; charset=utf-8", relative === "harness.html" ? "Run `npm run build` first" : "Not found");
      return;
    }
    response.writeHead(200, {
      ...baseHeaders(),
      "content-type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream",
      "content-length": String(info.size),
    });
    if (request.method === "HEAD") {
      response.end();
      return;
    }
    createReadStream(file).pipe(response);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function baseHeaders(): Record<string, string> {
  return { "x-content-type-options": "nosniff", "cache-control": "no-store", "referrer-policy": "no-referrer" };
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  response.writeHead(status, { ...baseHeaders(), "content-type": contentType });
  response.end(body);
}
