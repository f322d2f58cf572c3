import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Frame, Page } from "playwright-core";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core in a page or frame and returns the serious and critical violations. The source is
 * evaluated over the DevTools protocol rather than added as a <script>: the app's CSP (`script-src 'self'`)
 * rightly refuses injected script tags.
 */
export async function seriousViolations(target: Page | Frame): Promise<AxeFinding[]> {
  await target.evaluate(axeSource);
  const findings = await target.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Array<{ id: string; impact?: string; help: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact ?? "unknown", help: v.help, targets: v.nodes.map((n) => n.target.join(" ")) }));
  });
  return findings.filter((finding) => finding.impact === "serious" || finding.impact === "critical");
}
