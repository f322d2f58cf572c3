/**
 * Step 7: gather the residue (what the earlier steps could not erase, plus the by-design residue of `residue.ts`)
 * and end the request: `completed` when every step verified and nothing blocking remains, otherwise
 * `completed_with_residue`. The transition happens in the same fenced transaction that records this step.
 * The full residue list (declared and blocking) is this step's result, which the certificate reads, and it is
 * stored on the request either way.
 */
import type { ResidueItem } from "../../contract/schemas.ts";
import { AppError } from "../../errors.ts";
import { DECLARED_RESIDUE_KINDS } from "../../domain/request.ts";
import { declaredResidue } from "../residue.ts";
import type { Step } from "../step-context.ts";

const ERASING_STEPS = ["resolve-scope", "scrub-attributes", "scrub-task-fields", "delete-contact-data", "delete-recordings", "delete-profile"];

/** Builds the residue list and moves the request to its final state. */
export const reportStep: Step = async (ctx) => {
  const unverified = ERASING_STEPS.filter((name) => !ctx.earlierResults.get(name)?.verifiedAt);
  if (unverified.length > 0) {
    throw new AppError("Internal", `report reached with unverified steps: ${unverified.join(", ")}`);
  }
  const found: ResidueItem[] = ERASING_STEPS.flatMap((name) => (ctx.earlierResults.get(name)?.residue as ResidueItem[] | undefined) ?? []);
  const residue = [...found, ...declaredResidue(ctx.scope.contacts, ctx.config)];
  const blockingResidue = residue.filter((r) => !DECLARED_RESIDUE_KINDS.has(r.kind)).length;
  const outcome = blockingResidue > 0 ? "completed_with_residue" : "completed";
  return {
    kind: "done",
    counts: { residueItems: residue.length, blockingResidue },
    result: { outcome, residue },
    commit: (trx, at) => ctx.requests.transition(trx, ctx.request.id, outcome === "completed" ? "complete" : "complete_with_residue", at, { residue }),
  };
};
