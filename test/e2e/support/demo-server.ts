import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export interface DemoServer {
  /** The harness page (second origin). */
  harnessUrl: string;
  /** The app and API origin. */
  appUrl: string;
  emulatorUrl: string;
  /** The demo's own data directory (its SQLite file and WAL). */
  dataDir: string;
  /** Everything the backend printed, for diagnosing a failure. */
  output(): string;
  stop(): Promise<void>;
}

const ROOT = resolve(import.meta.dirname, "../../..");

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolvePort(address.port) : reject(new Error("no port"))));
    });
  });
}

/**
 * Starts `backend/main.ts demo` (emulator + API + worker + harness) on free ports with its own temporary
 * SQLite file, and resolves when it prints its URLs. Needs a build in `dist/` (`npm run build`).
 */
export async function startDemoServer(): Promise<DemoServer> {
  if (!existsSync(join(ROOT, "dist", "harness.html"))) throw new Error("dist/harness.html is missing: run `npm run build` first");
  const dir = mkdtempSync(join(tmpdir(), "erasure-e2e-"));
  const [port, harnessPort] = [await freePort(), await freePort()];
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "backend/main.ts", "demo"], {
    cwd: ROOT,
    env: {
      ...process.env,
      ERASURE_MODE: "demo",
      PORT: String(port),
      HARNESS_PORT: String(harnessPort),
      DATABASE_URL: `sqlite:${join(dir, "erasure.db")}`,
      SETTLE_SECONDS: "0",
      WORKER_POLL_MS: "100",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));

  const urls = await new Promise<{ harnessUrl: string; appUrl: string; emulatorUrl: string }>((resolveUrls, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo did not start in 60 s:\n${output}`)), 60_000);
    const check = () => {
      const harness = /Open (http:\/\/\S+) to use/.exec(output);
      const app = /app and API:\s+(http:\/\/\S+)/.exec(output);
      const emulator = /AWS emulator:\s+(http:\/\/\S+)/.exec(output);
      if (harness?.[1] && app?.[1] && emulator?.[1]) {
        clearTimeout(timer);
        resolveUrls({ harnessUrl: harness[1], appUrl: app[1], emulatorUrl: emulator[1] });
      }
    };
    child.stdout?.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`demo exited with ${code}:\n${output}`));
    });
  });

  return {
    ...urls,
    dataDir: dir,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once("exit", done));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((done) => setTimeout(done, 10_000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
