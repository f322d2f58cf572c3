/**
 * The erasure certificate: what was erased (scope, each step with counts and verification time), what remains
 * and why (residue), who asked and who approved. Its SHA-256 over the canonical JSON body enters the audit chain
 * once per distinct content: issuing the same content again returns the same hash and the first issue time.
 */
import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import { appendAudit, canonicalJson } from "../audit/audit-log.ts";
import type { CertificateView, ResidueItem } from "../contract/schemas.ts";
import { SYSTEM_ACTOR } from "../domain/request.ts";
import { AppError } from "../errors.ts";
import { getRequest, listStepViews } from "../requests/request-service.ts";
import { listRequestContacts } from "../store/request-contacts-repository.ts";
import { listSteps } from "../store/step-repository.ts";
import type { Database } from "../store/schema.ts";

const ISSUED_ACTION = "certificate.issued";
const FINAL = new Set(["completed", "completed_with_residue"]);

/** The hashed part of a certificate: everything except the hash and the issue time. */
export type CertificateBody = Omit<CertificateView, "hash" | "issuedAt">;

/** SHA-256 (hex) of the canonical JSON of a certificate body. */
function certificateHash(body: CertificateBody): string {
  return createHash("sha256").update(canonicalJson(body)).digest("hex");
}

/**
 * Builds the certificate of a finished request and records its hash in the audit chain (first issue only).
 * @throws AppError `Conflict` while the request is not completed (with or without residue).
 */
export async function issueCertificate(db: Kysely<Database>, requestId: string, now: Date): Promise<CertificateView> {
  const request = await getRequest(db, requestId);
  if (!FINAL.has(request.status)) {
    throw new AppError("Conflict", "A certificate exists only for completed requests", { details: { status: request.status } });
  }
  const body: CertificateBody = {
    requestId: request.id,
    status: request.status,
    instanceId: request.instanceId,
    contactIds: [...(await listRequestContacts(db, requestId))].sort(),
    requestedBy: request.requestedBy,
    requestedAt: request.requestedAt,
    ...(request.approvedBy ? { approvedBy: request.approvedBy } : {}),
    ...(request.approvedAt ? { approvedAt: request.approvedAt } : {}),
    steps: await listStepViews(db, requestId),
    residue: await reportedResidue(db, requestId),
  };
  const hash = certificateHash(body);
  const issuedAt = await db.transaction().execute(async (trx) => {
    // Take the audit head's write lock first (a no-op update: row lock on PostgreSQL, write lock on SQLite), so
    // two concurrent first issues cannot both miss the other's entry and append the same hash twice.
    await trx.updateTable("audit_head").set((eb) => ({ seq: eb.ref("seq") })).where("id", "=", 1).execute();
    const earlier = await trx
      .selectFrom("audit_log")
      .select(["at", "data_json"])
      .where("request_id", "=", requestId)
      .where("action", "=", ISSUED_ACTION)
      .orderBy("seq", "asc")
      .execute();
    const same = earlier.find((row) => (JSON.parse(row.data_json) as { hash?: string }).hash === hash);
    if (same) return same.at;
    await appendAudit(trx, { at: now, actor: SYSTEM_ACTOR, action: ISSUED_ACTION, requestId, data: { hash } });
    return now.toISOString();
  });
  return { ...body, issuedAt, hash };
}

/** The report step's full residue list (declared and blocking); a `completed` request row carries none itself. */
async function reportedResidue(db: Kysely<Database>, requestId: string): Promise<ResidueItem[]> {
  const report = (await listSteps(db, requestId)).find((s) => s.name === "report");
  const result = JSON.parse(report?.result_json ?? "{}") as { residue?: ResidueItem[] };
  return result.residue ?? [];
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A printable, self-contained HTML page of the certificate (no scripts, no external resources). */
export function certificateHtml(cert: CertificateView): string {
  const e = escapeHtml;
  const steps = cert.steps
    .map((s) => {
      const counts = Object.entries(s.counts).map(([k, v]) => `${e(k)}: ${v}`).join(", ");
      return `<tr><td>${e(s.name)}</td><td>${e(s.status)}</td><td>${e(counts || "—")}</td><td>${e(s.verifiedAt ?? "not verified")}</td></tr>`;
    })
    .join("\n");
  const residue = cert.residue
    .map((r) => `<tr><td>${e(r.kind)}</td><td>${e(r.reason)}</td><td>${e(r.until ?? "—")}</td><td>${e(r.location ?? "—")}</td></tr>`)
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Erasure certificate ${e(cert.requestId)}</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#111}table{border-collapse:collapse;width:100%;margin:1rem 0}
td,th{border:1px solid #999;padding:.3rem .5rem;text-align:left;vertical-align:top}code{word-break:break-all}
@media print{body{margin:0}}</style></head>
<body>
<h1>Certificate of erasure (GDPR Art. 17)</h1>
<p>Request <code>${e(cert.requestId)}</code>, outcome <strong>${e(cert.status)}</strong>, Amazon Connect instance <code>${e(cert.instanceId)}</code>.</p>
<p>Requested by ${e(cert.requestedBy)} at ${e(cert.requestedAt)}; approved by ${e(cert.approvedBy ?? "—")} at ${e(cert.approvedAt ?? "—")}.</p>
<h2>Contacts in scope (${cert.contactIds.length})</h2>
<p>${cert.contactIds.map((id) => `<code>${e(id)}</code>`).join(", ")}</p>
<h2>Steps</h2>
<table><thead><tr><th>step</th><th>status</th><th>counts</th><th>verified at</th></tr></thead><tbody>
${steps}
</tbody></table>
<h2>Residue</h2>
<table><thead><tr><th>kind</th><th>reason</th><th>until</th><th>where</th></tr></thead><tbody>
${residue || '<tr><td colspan="4">none</td></tr>'}
</tbody></table>
<p>Issued ${e(cert.issuedAt)}. SHA-256 of the certificate body (entered in the audit chain): <code>${e(cert.hash)}</code></p>
</body></html>
`;
}
