/** `bin/app.ts` as the CDK CLI runs it: context in CDK_CONTEXT_JSON, template written to CDK_OUTDIR. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { TEST_CONTEXT } from "./fixtures.ts";

const deployDir = resolve(import.meta.dirname, "..");
const tsx = resolve(deployDir, "node_modules", ".bin", "tsx");

describe("bin/app.ts", () => {
  it("synthesises the named stack from CLI context", () => {
    const outdir = mkdtempSync(join(tmpdir(), "cdk-entry-"));
    execFileSync(tsx, ["bin/app.ts"], {
      cwd: deployDir,
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ ...TEST_CONTEXT, stackName: "ErasureProd" }), CDK_OUTDIR: outdir },
      stdio: "pipe",
    });
    const template = JSON.parse(readFileSync(join(outdir, "ErasureProd.template.json"), "utf8")) as { Resources: Record<string, { Type: string }> };
    expect(Object.values(template.Resources).filter((r) => r.Type === "AWS::ECS::Service")).toHaveLength(1);
  });
});
