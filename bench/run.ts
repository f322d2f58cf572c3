/**
 * `npm run bench`: builds the app, then runs every benchmark in turn and passes their printed figures
 * through. Extra arguments go to each benchmark (e.g. `npm run bench -- --contacts 200`).
 * `--ci` runs the reduced CI sizes used by `.ci/run`.
 */
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..");
const ci = process.argv.includes("--ci");
const extra = process.argv.slice(2).filter((a) => a !== "--ci");

const steps: { name: string; command: string; args: string[] }[] = [
  { name: "build", command: "npx", args: ["vite", "build", "--logLevel", "warn"] },
  { name: "erasure", command: "npx", args: ["tsx", "bench/erasure.ts", ...(ci ? ["--contacts", "30"] : []), ...extra] },
  { name: "frontend", command: "npx", args: ["tsx", "bench/frontend.ts", ...(ci ? ["--runs", "5"] : [])] },
];

let failed = 0;
for (const step of steps) {
  const started = Date.now();
  const result = spawnSync(step.command, step.args, { cwd: ROOT, stdio: "inherit" });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) failed += 1;
  process.stdout.write(`bench ${step.name}: exit=${result.status} seconds=${seconds}\n`);
}
process.exit(failed === 0 ? 0 : 1);
