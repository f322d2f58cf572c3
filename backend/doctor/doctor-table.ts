/** Renders the doctor's checks as a plain-text table that reads well in a terminal and in CI logs. */
import type { DoctorCheck, DoctorStatus } from "./doctor.ts";

const LABEL: Record<DoctorStatus, string> = { ok: "OK", warn: "WARN", blocker: "BLOCKER" };

/** One row per check (status, name, detail), then a summary line with the counts and the verdict. */
export function formatDoctorTable(checks: readonly DoctorCheck[]): string {
  const header = { status: "STATUS", name: "CHECK", detail: "DETAIL" };
  const rows = checks.map((c) => ({ status: LABEL[c.status], name: c.name, detail: c.detail.replace(/\s+/g, " ") }));
  const statusWidth = Math.max(header.status.length, ...rows.map((r) => r.status.length));
  const nameWidth = Math.max(header.name.length, ...rows.map((r) => r.name.length));
  const line = (r: { status: string; name: string; detail: string }) =>
    `${r.status.padEnd(statusWidth)}  ${r.name.padEnd(nameWidth)}  ${r.detail}`.trimEnd();
  const count = (s: DoctorStatus) => checks.filter((c) => c.status === s).length;
  const blockers = count("blocker");
  const summary =
    `${checks.length} checks: ${count("ok")} ok, ${count("warn")} warn, ${blockers} blocker` +
    (blockers > 0 ? " => NOT READY (fix the blockers)" : " => READY");
  return [line(header), line({ status: "-".repeat(statusWidth), name: "-".repeat(nameWidth), detail: "------" }), ...rows.map(line), "", summary].join("\n");
}
