import type { RejectionReason, RequestStatus, StepName, StepStatus, VerificationMethod } from "../../backend/contract/schemas.ts";

/** Human labels for the contract's codes, shared by every view so wording stays consistent. */
export const VERIFICATION_LABELS: Record<VerificationMethod, string> = {
  knowledge_based: "Knowledge-based questions",
  authenticated_in_ivr: "Authenticated in the IVR",
  callback_to_registered_number: "Call-back to the registered number",
  email_confirmation: "Confirmation by e-mail",
  other: "Other (explain in the note)",
};

export const REJECTION_LABELS: Record<RejectionReason, string> = {
  identity_not_verified: "Identity not verified",
  legal_obligation: "Legal obligation to keep (Art. 17(3)(b))",
  legal_claims: "Legal claims (Art. 17(3)(e))",
  public_interest: "Public interest (Art. 17(3)(c), (d))",
  freedom_of_expression: "Freedom of expression (Art. 17(3)(a))",
  not_the_data_subject: "Caller is not the data subject",
  duplicate: "Duplicate request",
  other: "Other",
};

export const STATUS_LABELS: Record<RequestStatus, string> = {
  pending_approval: "Waiting for approval",
  approved: "Approved",
  running: "Erasing",
  completed: "Completed",
  completed_with_residue: "Completed with residue",
  failed: "Failed",
  rejected: "Rejected",
  cancelled: "Cancelled",
};

export const STEP_LABELS: Record<StepName, string> = {
  "resolve-scope": "Find the contacts in scope",
  "scrub-attributes": "Clear contact attributes",
  "scrub-task-fields": "Clear task and e-mail fields",
  "delete-contact-data": "Delete customer endpoint",
  "delete-recordings": "Delete recordings and transcripts",
  "delete-profile": "Delete customer profile",
  report: "Write the certificate",
};

export const STEP_STATUS_LABELS: Record<StepStatus, string> = {
  pending: "Pending",
  running: "Running",
  retry: "Retrying",
  succeeded: "Done",
  failed: "Failed",
};

/** Formats an ISO time for display in the user's locale, in UTC to match the audit trail. */
export function formatTime(iso: string | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC";
}

/** What a request's scope covers, in words. */
export function scopeLabel(scope: { customerHistory: boolean }): string {
  return scope.customerHistory ? "This contact, its transfers and the customer's past contacts" : "This contact and its transfers";
}

/** The deadline in force: the extended one if the deadline was extended. */
export function effectiveDueAt(request: { dueAt: string; extendedDueAt?: string }): string {
  return request.extendedDueAt ?? request.dueAt;
}
