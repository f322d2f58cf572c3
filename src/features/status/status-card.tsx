import { useEffect, useRef, useState } from "react";
import Alert from "@cloudscape-design/components/alert";
import Box from "@cloudscape-design/components/box";
import Button from "@cloudscape-design/components/button";
import Container from "@cloudscape-design/components/container";
import Header from "@cloudscape-design/components/header";
import KeyValuePairs from "@cloudscape-design/components/key-value-pairs";
import Link from "@cloudscape-design/components/link";
import SpaceBetween from "@cloudscape-design/components/space-between";
import type { ErasureRequestView } from "../../../backend/contract/schemas.ts";
import { useApiClient } from "../../api/api-context.tsx";
import { cancelRequest } from "../../api/cancel-request.ts";
import { watchRequest } from "../../api/watch-request.ts";
import { REJECTION_LABELS, effectiveDueAt, formatTime, scopeLabel } from "../../components/labels.ts";
import { LiveRequestStatus } from "../../components/request-status.tsx";
import { StepList } from "../../components/step-list.tsx";
import { errorMessage } from "../../components/use-load.ts";

export interface StatusCardProps {
  requestId: string;
  /** The request as already known (e.g. just raised), shown until the first refresh arrives. */
  initial?: ErasureRequestView;
  /** Username of the signed-in user: the requester may cancel while the request is pending. */
  username?: string;
  /** Told about every new state, so the page around the card can react (e.g. offer a new request). */
  onUpdate?(request: ErasureRequestView): void;
}

/** Live status of one request: state, steps and progress, deadline and residue, updated as it changes. */
export function StatusCard({ requestId, initial, username, onUpdate }: StatusCardProps) {
  const client = useApiClient();
  const [request, setRequest] = useState<ErasureRequestView | undefined>(initial);
  const [error, setError] = useState<string>();
  const [cancelling, setCancelling] = useState(false);
  const [generation, setGeneration] = useState(0);
  const onUpdateRef = useRef(onUpdate);
  onUpdateRef.current = onUpdate;

  useEffect(() => {
    const controller = new AbortController();
    void watchRequest(
      client,
      requestId,
      {
        onUpdate: (next) => {
          setRequest(next);
          setError(undefined);
          onUpdateRef.current?.(next);
        },
        onError: (cause) => setError(errorMessage(cause)),
      },
      controller.signal,
    );
    return () => controller.abort();
  }, [client, requestId, generation]);

  const cancel = async () => {
    setCancelling(true);
    try {
      const cancelled = await cancelRequest(client, requestId);
      setRequest(cancelled);
      onUpdateRef.current?.(cancelled);
      setGeneration((value) => value + 1);
    } catch (cause) {
      setError(errorMessage(cause));
    } finally {
      setCancelling(false);
    }
  };

  const canCancel = request?.status === "pending_approval" && username !== undefined && request.requestedBy === username;
  return (
    <Container
      header={
        <Header
          variant="h2"
          actions={
            canCancel && (
              <Button onClick={() => void cancel()} loading={cancelling}>
                Cancel request
              </Button>
            )
          }
        >
          Erasure request
        </Header>
      }
    >
      <SpaceBetween size="l">
        {error && (
          <Alert type="error" header="Could not refresh the status">
            {error}
          </Alert>
        )}
        {!request ? (
          <Box>Loading the request…</Box>
        ) : (
          <SpaceBetween size="m">
            <LiveRequestStatus status={request.status} />
            <KeyValuePairs
              columns={3}
              items={[
                { label: "Request", value: <span data-testid="request-id">{request.id}</span> },
                { label: "Requested by", value: request.requestedBy },
                { label: "Requested", value: formatTime(request.requestedAt) },
                { label: "Deadline", value: formatTime(effectiveDueAt(request)) },
                { label: "Scope", value: scopeLabel(request.scope) },
                { label: "Approved by", value: request.approvedBy ?? "—" },
              ]}
            />
            {request.waitingFor && <Alert type="info">Waiting: {request.waitingFor}</Alert>}
            {request.rejection && (
              <Alert type="warning" header="Rejected">
                {REJECTION_LABELS[request.rejection.reasonCode]} — by {request.rejection.rejectedBy},{" "}
                {formatTime(request.rejection.rejectedAt)}
              </Alert>
            )}
            <StepList steps={request.steps} />
            {request.residue.length > 0 && (
              <SpaceBetween size="xs">
                <Header variant="h3">What remains (residue)</Header>
                <ul aria-label="Residue">
                  {request.residue.map((item, index) => (
                    <li key={`${item.kind}-${index}`}>
                      {item.reason}
                      {item.until ? ` (until ${formatTime(item.until)})` : ""}
                    </li>
                  ))}
                </ul>
              </SpaceBetween>
            )}
            {(request.status === "completed" || request.status === "completed_with_residue") && (
              <Link href={`#/certificates/${request.id}`}>View the erasure certificate</Link>
            )}
          </SpaceBetween>
        )}
      </SpaceBetween>
    </Container>
  );
}
