import StatusIndicator, { type StatusIndicatorProps } from "@cloudscape-design/components/status-indicator";
import type { RequestStatus, StepStatus } from "../../backend/contract/schemas.ts";
import { STATUS_LABELS, STEP_STATUS_LABELS } from "./labels.ts";

const REQUEST_TYPES: Record<RequestStatus, StatusIndicatorProps.Type> = {
  pending_approval: "pending",
  approved: "in-progress",
  running: "in-progress",
  completed: "success",
  completed_with_residue: "warning",
  failed: "error",
  rejected: "stopped",
  cancelled: "stopped",
};

const STEP_TYPES: Record<StepStatus, StatusIndicatorProps.Type> = {
  pending: "pending",
  running: "in-progress",
  retry: "warning",
  succeeded: "success",
  failed: "error",
};

/** A request's status as icon + words (never colour alone). */
export function RequestStatusIndicator({ status }: { status: RequestStatus }) {
  return <StatusIndicator type={REQUEST_TYPES[status]}>{STATUS_LABELS[status]}</StatusIndicator>;
}

/** The request's status in a polite live region, so screen readers announce each change and tests can wait on it. */
export function LiveRequestStatus({ status }: { status: RequestStatus }) {
  return (
    <div role="status" aria-live="polite" data-testid="request-status" data-status={status}>
      <RequestStatusIndicator status={status} />
    </div>
  );
}

/** A step's status as icon + words. */
export function StepStatusIndicator({ status }: { status: StepStatus }) {
  return <StatusIndicator type={STEP_TYPES[status]}>{STEP_STATUS_LABELS[status]}</StatusIndicator>;
}
