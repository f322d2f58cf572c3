/**
 * Prints the README configuration table from `SETTINGS`, so the documentation cannot drift from the schema.
 * Usage: `npx tsx scripts/config-table.ts` and paste the output into README.md.
 */
import { SETTINGS } from "../backend/config.ts";

const escape = (s: string) => s.replace(/\|/g, "\\|");
const lines = ["| variable | default | meaning |", "|---|---|---|"];
for (const setting of Object.values(SETTINGS)) {
  const fallback = "default" in setting && setting.default !== "" ? `\`${setting.default}\`` : "—";
  lines.push(`| \`${setting.env}\` | ${escape(fallback)} | ${escape(setting.description)} |`);
}
process.stdout.write(`${lines.join("\n")}\n`);
