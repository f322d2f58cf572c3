import { useEffect, useState } from "react";
import Alert from "@cloudscape-design/components/alert";
import Box from "@cloudscape-design/components/box";
import Button from "@cloudscape-design/components/button";
import Container from "@cloudscape-design/components/container";
import Header from "@cloudscape-design/components/header";
import KeyValuePairs from "@cloudscape-design/components/key-value-pairs";
import Link from "@cloudscape-design/components/link";
import SpaceBetween from "@cloudscape-design/components/space-between";
import type { ErasureRequestView, RejectBody } from "../../../backend/contract/schemas.ts";
import { useApiClient } from "../../api/api-context.tsx";
import { approveRequest } from "../../api/approve-request.ts";
import { extendRequest } from "../../api/extend-request.ts";
import { getPreview } from "../../api/get-preview.ts";
import { rejectRequest } from "../../api/reject-request.ts";
import { retryRequest } from "../../api/retry-request.ts";
import { isFinal, watchRequest } from "../../api/watch-request.ts";
import { REJECTION_LABELS, VERIFICATION_LABELS, effectiveDueAt, formatTime, scopeLabel } from "../../components/labels.ts";
import { LiveRequestStatus } from "../../components/request-status.tsx";
import { StepList } from "../../components/step-list.tsx";
import { errorMessage, useLoad } from "../../components/use-load.ts";
import { ApproveModal } from "./approve-modal.tsx";
import { ExtendModal } from "./extend-modal.tsx";
import { RejectModal } from "./reject-modal.tsx";

export interface ReviewDetailProps {
  requestId: string;
  /** The signed-in supervisor: approving their own request is not allowed (four eyes). */
  username: string;
}

type Dialog = "approve" | "reject" | "extend" | undefined;

/** One request as a supervisor sees it, with approve, reject, extend and retry. */
export function ReviewDetail({ requestId, username }: ReviewDetailProps) {
  const client = useApiClient();
  const [request, setRequest] = useState<ErasureRequestView>();
  const [loadError, setLoadError] = useState<string>();
  const [dialog, setDialog] = useState<Dialog>();
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    void watchRequest(
      client,
      requestId,
      { onUpdate: setRequest, onError: (cause) => setLoadError(errorMessage(cause)) },
      controller.signal,
    );
    return () => controller.abort();
  }, [client, requestId, generation]);

  const contactId = request?.contactId;
  const preview = useLoad(contactId ?? "", (signal) =>
    contactId ? getPreview(client, contactId, signal) : Promise.resolve(undefined),
  );

  const act = async (action: () => Promise<ErasureRequestView>, done: string) => {
    setBusy(true);
    setActionError(undefined);
    try {
      setRequest(await action());
      setDialog(undefined);
      setNotice(done);
      setGeneration((value) => value + 1);
    } catch (cause) {
      setActionError(errorMessage(cause));
    } finally {
      setBusy(false);
    }
  };
  const open = (next: Dialog) => {
    setActionError(undefined);
    setDialog(next);
  };

  if (!request) {
    return loadError ? (
      <Alert type="error" header="The request could not be loaded">
        {loadError}
      </Alert>
    ) : (
      <Box>Loading the request…</Box>
    );
  }

  const ownRequest = request.requestedBy === username;
  const pending = request.status === "pending_approval";
  const isOpen = !isFinal(request.status);
  return (
    <SpaceBetween size="l">
      <Link href="#/review">Back to the queue</Link>
      {notice && (
        <Alert type="success" dismissible onDismiss={() => setNotice(undefined)}>
          {notice}
        </Alert>
      )}
      {actionError && !dialog && (
        <Alert type="error" header="The action failed">
          {actionError}
        </Alert>
      )}
      <Container
        header={
          <Header
            variant="h1"
            actions={
              <SpaceBetween direction="horizontal" size="xs">
                {pending && (
                  <Button onClick={() => open("reject")} disabled={busy}>
                    Reject
                  </Button>
                )}
                {isOpen && !request.extendedDueAt && (
                  <Button onClick={() => open("extend")} disabled={busy}>
                    Extend deadline
                  </Button>
                )}
                {request.status === "failed" && (
                  <Button onClick={() => void act(() => retryRequest(client, request.id), "Failed steps re-queued.")} loading={busy}>
                    Retry failed steps
                  </Button>
                )}
                {pending && (
                  <Button
                    variant="primary"
                    onClick={() => open("approve")}
                    disabled={ownRequest || busy}
                    disabledReason="You raised this request; another supervisor must approve it."
                  >
                    Approve
                  </Button>
                )}
              </SpaceBetween>
            }
          >
            Erasure request
          </Header>
        }
      >
        <SpaceBetween size="l">
          {pending && ownRequest && (
            <Alert type="info">You raised this request, so another supervisor must approve it (four-eyes rule).</Alert>
          )}
          <LiveRequestStatus status={request.status} />
          <KeyValuePairs
            columns={3}
            items={[
              { label: "Request", value: request.id },
              { label: "Contact", value: request.contactId },
              { label: "Requested by", value: request.requestedBy },
              { label: "Requested", value: formatTime(request.requestedAt) },
              { label: "Verification", value: VERIFICATION_LABELS[request.verification.method] },
              { label: "Customer confirmed", value: request.verification.confirmedByCustomer ? "Yes" : "No" },
              { label: "Scope", value: scopeLabel(request.scope) },
              {
                label: "Deadline",
                value: request.extendedDueAt
                  ? `${formatTime(effectiveDueAt(request))} (extended: ${request.extensionReason ?? "no reason"})`
                  : formatTime(request.dueAt),
              },
              { label: "Approved by", value: request.approvedBy ? `${request.approvedBy}, ${formatTime(request.approvedAt)}` : "—" },
              { label: "Note", value: request.note ?? "—" },
            ]}
          />
          {request.rejection && (
            <Alert type="warning" header="Rejected">
              {REJECTION_LABELS[request.rejection.reasonCode]} — by {request.rejection.rejectedBy}
              {request.rejection.note ? `: ${request.rejection.note}` : ""}
            </Alert>
          )}
          {request.waitingFor && <Alert type="info">Waiting: {request.waitingFor}</Alert>}
        </SpaceBetween>
      </Container>
      <Container header={<Header variant="h2">What erasure touches (preview)</Header>}>
        {preview.data ? (
          <KeyValuePairs
            columns={3}
            items={[
              { label: "Contacts in the chain", value: String(preview.data.contacts) },
              { label: "Contact ended", value: preview.data.contactEnded ? "Yes" : "No, still live" },
              { label: "Attribute keys", value: String(preview.data.attributeKeys) },
              { label: "Customer endpoint stored", value: preview.data.hasCustomerEndpoint ? "Yes" : "No" },
              { label: "Recording object versions", value: String(preview.data.s3ObjectVersions) },
              { label: "Customer profiles", value: String(preview.data.profiles) },
            ]}
          />
        ) : preview.error !== undefined ? (
          <Box>Preview unavailable: {errorMessage(preview.error)}</Box>
        ) : (
          <Box>Loading the preview…</Box>
        )}
      </Container>
      <Container header={<Header variant="h2">Steps</Header>}>
        <StepList steps={request.steps} />
      </Container>
      {request.residue.length > 0 && (
        <Container header={<Header variant="h2">Residue</Header>}>
          <ul aria-label="Residue">
            {request.residue.map((item, index) => (
              <li key={`${item.kind}-${index}`}>
                {item.reason}
                {item.location ? ` (${item.location})` : ""}
                {item.until ? `, until ${formatTime(item.until)}` : ""}
              </li>
            ))}
          </ul>
        </Container>
      )}
      {(request.status === "completed" || request.status === "completed_with_residue") && (
        <Link href={`#/certificates/${request.id}`}>View the erasure certificate</Link>
      )}
      <ApproveModal
        visible={dialog === "approve"}
        preview={preview.data}
        busy={busy}
        error={actionError}
        onDismiss={() => setDialog(undefined)}
        onConfirm={() => void act(() => approveRequest(client, request.id), "Request approved.")}
      />
      <RejectModal
        visible={dialog === "reject"}
        busy={busy}
        error={actionError}
        onDismiss={() => setDialog(undefined)}
        onConfirm={(body: RejectBody) => void act(() => rejectRequest(client, request.id, body), "Request rejected.")}
      />
      <ExtendModal
        visible={dialog === "extend"}
        busy={busy}
        error={actionError}
        onDismiss={() => setDialog(undefined)}
        onConfirm={(reason) => void act(() => extendRequest(client, request.id, { reason }), "Deadline extended.")}
      />
    </SpaceBetween>
  );
}
