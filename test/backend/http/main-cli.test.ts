/** The CLI's contract: a bad configuration exits 2 with every problem listed; `migrate` creates the schema. */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { afterAll, expect, it } from "vitest";
import { startTestEmulator, TEST_INSTANCE_ID } from "../../support/app.ts";

const dir = mkdtempSync(join(tmpdir(), "ce-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string>) {
  // Only the variables given here (plus PATH/HOME for node itself), so the developer's environment cannot leak in.
  return spawnSync(join(process.cwd(), "node_modules/.bin/tsx"), [join(process.cwd(), "backend/main.ts"), ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? dir, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
}

it("When the configuration is invalid, then the CLI prints every problem and exits 2", () => {
  const res = run(["migrate"], { PORT: "eighty", LOG_LEVEL: "loud", DATABASE_URL: `sqlite:${join(dir, "x.db")}` });
  expect(res.status).toBe(2);
  expect(res.stderr).toMatch(/PORT must be a whole number/);
  expect(res.stderr).toMatch(/LOG_LEVEL must be one of/);
});

it("When production mode lacks its identity provider, then serve refuses to start", () => {
  const res = run(["serve"], { ERASURE_MODE: "production", DATABASE_URL: `sqlite:${join(dir, "p.db")}` });
  expect(res.status).toBe(2);
  expect(res.stderr).toMatch(/OIDC_ISSUER is required in production mode/);
});

it("When an unknown command is given, then usage is printed and the exit code is 2", () => {
  const res = run(["erase-everything"], {});
  expect(res.status).toBe(2);
  expect(res.stderr).toMatch(/usage: main\.ts <serve \| worker \| migrate \| demo \| doctor>/);
});

it("When migrate runs on a fresh SQLite file, then the tables exist and it exits 0", () => {
  const file = join(dir, "fresh.db");
  const res = run(["migrate"], { DATABASE_URL: `sqlite:${file}`, LOG_LEVEL: "silent" });
  expect(res.status).toBe(0);
  const db = new SqliteDatabase(file, { readonly: true });
  const tables = (db.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map((r) => r.name);
  db.close();
  expect(tables).toEqual(expect.arrayContaining(["erasure_requests", "erasure_steps", "audit_log"]));
});

it("When serve receives SIGTERM, then it stops the server, worker and store and exits 0", async () => {
  const child = spawn(join(process.cwd(), "node_modules/.bin/tsx"), [join(process.cwd(), "backend/main.ts"), "serve"], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? dir, PORT: "0", DATABASE_URL: `sqlite:${join(dir, "serve.db")}`, AUDIT_HMAC_KEY: "k".repeat(32) },
  });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString("utf8");
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line in: ${out}`)), 30_000);
    child.stdout.on("data", () => {
      const match = /"url":"(http:\/\/[^"]+)","mode"/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  expect((await fetch(`${url}/healthz`)).status).toBe(200);
  child.kill("SIGTERM");
  expect(await exited).toBe(0);
  expect(out).toMatch(/"reason":"SIGTERM","msg":"shutting down"/);
  expect(out).toMatch(/erasure worker stopped/);
}, 60_000);

it("When doctor runs against the emulator, then it prints the checks table and its exit code matches the verdict", async () => {
  const emulator = await startTestEmulator();
  try {
    const res = await new Promise<{ status: number | null; stdout: string }>((resolve) => {
      const child = spawn(join(process.cwd(), "node_modules/.bin/tsx"), [join(process.cwd(), "backend/main.ts"), "doctor"], {
        cwd: dir,
        env: {
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? dir,
          LOG_LEVEL: "silent",
          CONNECT_INSTANCE_ID: TEST_INSTANCE_ID,
          CUSTOMER_PROFILES_DOMAIN: "demo-domain",
          AWS_ENDPOINT_URL_CONNECT: emulator.url,
          AWS_ENDPOINT_URL_CUSTOMER_PROFILES: emulator.url,
          AWS_ENDPOINT_URL_S3: emulator.url,
          AWS_ACCESS_KEY_ID: "test",
          AWS_SECRET_ACCESS_KEY: "test",
        },
      });
      let stdout = "";
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString("utf8");
      });
      child.on("exit", (status) => resolve({ status, stdout }));
    });
    expect(res.stdout).toMatch(/STATUS\s+CHECK\s+DETAIL/);
    expect(res.stdout).toMatch(/\d+ checks: /);
    expect(res.status).toBe(/NOT READY/.test(res.stdout) ? 1 : 0);
  } finally {
    await emulator.close();
  }
}, 60_000);
