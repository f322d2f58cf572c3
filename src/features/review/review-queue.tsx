import { useEffect, useState } from "react";
import Alert from "@cloudscape-design/components/alert";
import Box from "@cloudscape-design/components/box";
import Button from "@cloudscape-design/components/button";
import Checkbox from "@cloudscape-design/components/checkbox";
import Header from "@cloudscape-design/components/header";
import Link from "@cloudscape-design/components/link";
import SpaceBetween from "@cloudscape-design/components/space-between";
import StatusIndicator from "@cloudscape-design/components/status-indicator";
import Table from "@cloudscape-design/components/table";
import type { ErasureRequestView } from "../../../backend/contract/schemas.ts";
import { useApiClient } from "../../api/api-context.tsx";
import { listRequests } from "../../api/list-requests.ts";
import { isFinal } from "../../api/watch-request.ts";
import { effectiveDueAt, formatTime } from "../../components/labels.ts";
import { RequestStatusIndicator } from "../../components/request-status.tsx";
import { errorMessage, useLoad } from "../../components/use-load.ts";

/** The queue refreshes itself this often (ms); the detail view follows its request live. */
const QUEUE_REFRESH_MS = 10_000;

/** True when an open request is past its (possibly extended) deadline at `now`. */
function isOverdue(request: ErasureRequestView, now: Date): boolean {
  return !isFinal(request.status) && new Date(effectiveDueAt(request)).getTime() < now.getTime();
}

/** Requests ordered by deadline, earliest first, so the most urgent is on top. */
function sortByDeadline(requests: readonly ErasureRequestView[]): ErasureRequestView[] {
  return [...requests].sort((a, b) => effectiveDueAt(a).localeCompare(effectiveDueAt(b)));
}

export interface ReviewQueueProps {
  now?: () => Date;
}

/** The supervisor's queue: every request sorted by deadline, overdue ones flagged, open ones by default. */
export function ReviewQueue({ now = () => new Date() }: ReviewQueueProps) {
  const client = useApiClient();
  const [showClosed, setShowClosed] = useState(false);
  const { data, error, loading, reload } = useLoad("queue", (signal) => listRequests(client, {}, signal));
  useEffect(() => {
    const timer = setInterval(reload, QUEUE_REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);
  const at = now();
  const items = sortByDeadline((data?.items ?? []).filter((item) => showClosed || !isFinal(item.status)));
  return (
    <SpaceBetween size="m">
      {error !== undefined && (
        <Alert type="error" header="The queue could not be loaded">
          {errorMessage(error)}
        </Alert>
      )}
      <Table
        variant="full-page"
        loading={loading && !data}
        loadingText="Loading requests"
        ariaLabels={{ tableLabel: "Erasure requests by deadline" }}
        items={items}
        trackBy="id"
        header={
          <Header
            variant="h1"
            counter={`(${items.length})`}
            actions={
              <SpaceBetween direction="horizontal" size="s" alignItems="center">
                <Checkbox checked={showClosed} onChange={({ detail }) => setShowClosed(detail.checked)}>
                  Show closed requests
                </Checkbox>
                <Button iconName="refresh" ariaLabel="Refresh the queue" onClick={reload} />
              </SpaceBetween>
            }
          >
            Erasure requests
          </Header>
        }
        empty={<Box textAlign="center">No requests to review.</Box>}
        columnDefinitions={[
          {
            id: "deadline",
            header: "Deadline",
            cell: (item) =>
              isOverdue(item, at) ? (
                <span className="ce-overdue">
                  <StatusIndicator type="error">Overdue: {formatTime(effectiveDueAt(item))}</StatusIndicator>
                </span>
              ) : (
                formatTime(effectiveDueAt(item))
              ),
          },
          {
            id: "request",
            header: "Request",
            cell: (item) => (
              <Link href={`#/review/${item.id}`} ariaLabel={`Open request ${item.id}`}>
                {item.id.slice(0, 8)}
              </Link>
            ),
          },
          { id: "status", header: "Status", cell: (item) => <RequestStatusIndicator status={item.status} /> },
          { id: "requestedBy", header: "Requested by", cell: (item) => item.requestedBy },
          { id: "requestedAt", header: "Requested", cell: (item) => formatTime(item.requestedAt) },
        ]}
      />
    </SpaceBetween>
  );
}
