/**
 * Independent completeness checker for erasure tests: reads the emulator's state directly (never through the
 * executor, and importing nothing from `backend/erasure/`) and lists every piece of caller data still present for
 * the given contacts: customer endpoints, e-mail recipients and subject, contact names/descriptions, contact
 * reference values (and attachment references, whose file remains), attribute values, S3 versions and delete markers (by key or by planted marker in the body), linked profiles. Findings
 * that match declared blocking residue (a locked or held version named by its location) are reported apart.
 */
import type { EmulatorState } from "../../backend/emulator/state.ts";

export interface Finding {
  store: "connect" | "attributes" | "s3" | "profiles";
  what: string;
  where: string;
}

export interface ResidueLike {
  kind: string;
  location?: string;
}

export interface VerifierReport {
  /** Caller data left that no residue item declares: must be empty for an honest "done". */
  undeclared: Finding[];
  /** Caller data left that a residue item declares (Object Lock, legal hold, access denied). */
  declared: Finding[];
}

const VERSION_RESIDUE = new Set(["object_lock", "legal_hold", "access_denied"]);

/** Inventories caller data of `contactIds` in the emulator state; see the module comment. */
export function verifyErased(
  state: EmulatorState,
  contactIds: readonly string[],
  options: { keepKeys?: readonly string[]; residue?: readonly ResidueLike[]; bodyMarkers?: readonly string[] } = {},
): VerifierReport {
  const keep = new Set(options.keepKeys ?? []);
  const declaredLocations = new Set((options.residue ?? []).filter((r) => VERSION_RESIDUE.has(r.kind)).map((r) => r.location));
  const markers = options.bodyMarkers ?? contactIds.map((id) => `FAKE-CALLER-DATA-${id}`);
  const found: Finding[] = [];
  const initialIds = new Set<string>();
  for (const id of contactIds) {
    const c = state.connect.contacts.get(id);
    if (!c) continue;
    initialIds.add(c.InitialContactId);
    if (c.CustomerEndpoint?.Address) found.push({ store: "connect", what: "customer endpoint", where: id });
    if ((c.AdditionalEmailRecipients?.ToList ?? []).length + (c.AdditionalEmailRecipients?.CcList ?? []).length > 0) {
      found.push({ store: "connect", what: "additional e-mail recipients", where: id });
    }
    if (c.EmailSubject) found.push({ store: "connect", what: "e-mail subject", where: id });
    if (c.Name) found.push({ store: "connect", what: "contact name", where: id });
    if (c.Description) found.push({ store: "connect", what: "contact description", where: id });
    for (const ref of Object.values(c.References)) {
      if (ref.Type === "ATTACHMENT") found.push({ store: "connect", what: "attachment reference", where: id });
      else if (ref.Value) found.push({ store: "connect", what: `${ref.Type} reference value`, where: id });
    }
  }
  for (const initialId of initialIds) {
    const attributes = state.connect.attributes.get(initialId) ?? {};
    for (const [key, value] of Object.entries(attributes)) {
      if (!keep.has(key) && value !== "") found.push({ store: "attributes", what: `attribute value of key #${key.length}`, where: initialId });
    }
  }
  for (const bucket of state.s3.buckets.values()) {
    for (const [key, versions] of bucket.objects) {
      for (const v of versions) {
        const byKey = contactIds.some((id) => key.includes(id));
        const body = v.Body.toString("latin1");
        const byBody = markers.some((m) => body.includes(m));
        if (byKey || byBody) {
          found.push({ store: "s3", what: v.IsDeleteMarker ? "delete marker" : "object version", where: `s3://${bucket.Name}/${key}?versionId=${v.VersionId}` });
        }
      }
    }
  }
  for (const domain of state.profiles.domains.values()) {
    for (const profile of domain.profiles.values()) {
      const linked = (profile.Keys._ctrContactId ?? []).some((v) => contactIds.includes(v));
      const inObjects = profile.Objects.some((o) => contactIds.some((id) => o.Object.includes(id)));
      if (linked || inObjects) found.push({ store: "profiles", what: "linked profile", where: `${domain.DomainName}/${profile.ProfileId}` });
    }
  }
  return {
    undeclared: found.filter((f) => !declaredLocations.has(f.where)),
    declared: found.filter((f) => declaredLocations.has(f.where)),
  };
}
