/**
 * HTTP API v1 contract: TypeBox schemas and their static types, shared by the backend routes and the
 * browser client in `src/api/`. TypeBox only: no Node or Fastify imports here.
 */
import { Type, type Static } from "@sinclair/typebox";

export const Uuid = Type.String({
  pattern: "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
  description: "Amazon Connect contact id or request id (UUID)",
});

export const Role = Type.Union([Type.Literal("agent"), Type.Literal("supervisor")]);
export type Role = Static<typeof Role>;

export const RequestStatus = Type.Union([
  Type.Literal("pending_approval"),
  Type.Literal("approved"),
  Type.Literal("running"),
  Type.Literal("completed"),
  Type.Literal("completed_with_residue"),
  Type.Literal("failed"),
  Type.Literal("rejected"),
  Type.Literal("cancelled"),
]);
export type RequestStatus = Static<typeof RequestStatus>;

export const VerificationMethod = Type.Union([
  Type.Literal("knowledge_based"),
  Type.Literal("authenticated_in_ivr"),
  Type.Literal("callback_to_registered_number"),
  Type.Literal("email_confirmation"),
  Type.Literal("other"),
]);
export type VerificationMethod = Static<typeof VerificationMethod>;

export const RejectionReason = Type.Union([
  Type.Literal("identity_not_verified"),
  Type.Literal("legal_obligation"),
  Type.Literal("legal_claims"),
  Type.Literal("public_interest"),
  Type.Literal("freedom_of_expression"),
  Type.Literal("not_the_data_subject"),
  Type.Literal("duplicate"),
  Type.Literal("other"),
]);
export type RejectionReason = Static<typeof RejectionReason>;

export const StepName = Type.Union([
  Type.Literal("resolve-scope"),
  Type.Literal("scrub-attributes"),
  Type.Literal("scrub-task-fields"),
  Type.Literal("delete-contact-data"),
  Type.Literal("delete-recordings"),
  Type.Literal("delete-profile"),
  Type.Literal("report"),
]);
export type StepName = Static<typeof StepName>;

export const StepStatus = Type.Union([
  Type.Literal("pending"),
  Type.Literal("running"),
  Type.Literal("retry"),
  Type.Literal("succeeded"),
  Type.Literal("failed"),
]);
export type StepStatus = Static<typeof StepStatus>;

/** Free text written by staff. Capped, and flagged in the UI as "no personal data here". */
export const Note = Type.String({ maxLength: 500 });

export const Scope = Type.Object(
  {
    contactChain: Type.Literal(true),
    customerHistory: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type Scope = Static<typeof Scope>;

export const Verification = Type.Object(
  {
    method: VerificationMethod,
    confirmedByCustomer: Type.Literal(true),
  },
  { additionalProperties: false },
);
export type Verification = Static<typeof Verification>;

export const RaiseRequestBody = Type.Object(
  {
    contactId: Uuid,
    scope: Scope,
    verification: Verification,
    note: Type.Optional(Note),
  },
  { additionalProperties: false },
);
export type RaiseRequestBody = Static<typeof RaiseRequestBody>;

export const RejectBody = Type.Object(
  { reasonCode: RejectionReason, note: Type.Optional(Note) },
  { additionalProperties: false },
);
export type RejectBody = Static<typeof RejectBody>;

export const ExtendBody = Type.Object(
  { reason: Type.String({ minLength: 3, maxLength: 500 }) },
  { additionalProperties: false },
);
export type ExtendBody = Static<typeof ExtendBody>;

/** Approve, cancel and retry take no fields; an empty object (or no body) is accepted. */
export const EmptyBody = Type.Object({}, { additionalProperties: false });

export const StepView = Type.Object({
  name: StepName,
  status: StepStatus,
  attempts: Type.Integer(),
  counts: Type.Record(Type.String(), Type.Integer()),
  lastErrorCode: Type.Optional(Type.String()),
  verifiedAt: Type.Optional(Type.String({ format: "date-time" })),
});
export type StepView = Static<typeof StepView>;

export const ResidueKind = Type.Union([
  Type.Literal("ctr_metadata"),
  Type.Literal("object_lock"),
  Type.Literal("legal_hold"),
  Type.Literal("access_denied"),
  Type.Literal("replica_bucket"),
  Type.Literal("stream_copies"),
  Type.Literal("data_lake"),
  Type.Literal("art19_recipient"),
  Type.Literal("profile_recreated"),
  Type.Literal("late_artifacts"),
  Type.Literal("other"),
]);
export type ResidueKind = Static<typeof ResidueKind>;

export const ResidueItem = Type.Object({
  kind: ResidueKind,
  reason: Type.String(),
  until: Type.Optional(Type.String({ format: "date-time" })),
  /** Where, without personal data: e.g. "s3://bucket/key" or "kinesis:stream-name". */
  location: Type.Optional(Type.String()),
});
export type ResidueItem = Static<typeof ResidueItem>;

export const Rejection = Type.Object({
  reasonCode: RejectionReason,
  note: Type.Optional(Type.String()),
  rejectedBy: Type.String(),
  rejectedAt: Type.String({ format: "date-time" }),
});

export const ErasureRequestView = Type.Object({
  id: Uuid,
  status: RequestStatus,
  contactId: Uuid,
  instanceId: Type.String(),
  scope: Scope,
  verification: Verification,
  note: Type.Optional(Type.String()),
  requestedBy: Type.String(),
  requestedAt: Type.String({ format: "date-time" }),
  approvedBy: Type.Optional(Type.String()),
  approvedAt: Type.Optional(Type.String({ format: "date-time" })),
  rejection: Type.Optional(Rejection),
  dueAt: Type.String({ format: "date-time" }),
  extendedDueAt: Type.Optional(Type.String({ format: "date-time" })),
  extensionReason: Type.Optional(Type.String()),
  waitingFor: Type.Optional(Type.String({ description: "why an approved request has not started yet" })),
  steps: Type.Array(StepView),
  residue: Type.Array(ResidueItem),
  updatedAt: Type.String({ format: "date-time" }),
});
export type ErasureRequestView = Static<typeof ErasureRequestView>;

export const RequestList = Type.Object({ items: Type.Array(ErasureRequestView) });
export type RequestList = Static<typeof RequestList>;

export const ListQuery = Type.Object(
  {
    status: Type.Optional(RequestStatus),
    contactId: Type.Optional(Uuid),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  },
  { additionalProperties: false },
);
export type ListQuery = Static<typeof ListQuery>;

export const Me = Type.Object({
  subject: Type.String(),
  username: Type.String(),
  role: Role,
  connectUserId: Type.Optional(Type.String()),
});
export type Me = Static<typeof Me>;

export const AuditEntryView = Type.Object({
  seq: Type.Integer(),
  at: Type.String({ format: "date-time" }),
  actor: Type.String(),
  action: Type.String(),
  requestId: Type.Optional(Type.String()),
  data: Type.Record(Type.String(), Type.Unknown()),
  prevHash: Type.String(),
  hash: Type.String(),
});
export type AuditEntryView = Static<typeof AuditEntryView>;

export const AuditList = Type.Object({ items: Type.Array(AuditEntryView) });

export const AuditVerification = Type.Object({
  ok: Type.Boolean(),
  entries: Type.Integer(),
  firstBrokenSeq: Type.Optional(Type.Integer()),
  reason: Type.Optional(Type.String()),
  headHash: Type.Optional(Type.String()),
});
export type AuditVerification = Static<typeof AuditVerification>;

export const PreviewView = Type.Object({
  contactId: Uuid,
  contactEnded: Type.Boolean(),
  contacts: Type.Integer({ description: "contacts in the chain" }),
  attributeKeys: Type.Integer(),
  hasCustomerEndpoint: Type.Boolean(),
  s3ObjectVersions: Type.Integer(),
  profiles: Type.Integer(),
});
export type PreviewView = Static<typeof PreviewView>;

export const CertificateView = Type.Object({
  requestId: Uuid,
  status: RequestStatus,
  instanceId: Type.String(),
  contactIds: Type.Array(Type.String()),
  requestedBy: Type.String(),
  requestedAt: Type.String(),
  approvedBy: Type.Optional(Type.String()),
  approvedAt: Type.Optional(Type.String()),
  steps: Type.Array(StepView),
  residue: Type.Array(ResidueItem),
  issuedAt: Type.String(),
  hash: Type.String({ description: "SHA-256 of the canonical certificate body; entered in the audit chain" }),
});
export type CertificateView = Static<typeof CertificateView>;

export const DemoTokenBody = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);
export const DemoTokenResponse = Type.Object({ token: Type.String() });

export const ErrorBody = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    requestId: Type.Optional(Type.String()),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  }),
});
export type ErrorBody = Static<typeof ErrorBody>;

/** Demo sign-in users (demo mode only). */
export const DEMO_USERS = ["agent.alice", "agent.bob", "supervisor.sam", "supervisor.sue"] as const;
