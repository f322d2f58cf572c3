import Alert from "@cloudscape-design/components/alert";
import Box from "@cloudscape-design/components/box";
import Container from "@cloudscape-design/components/container";
import Header from "@cloudscape-design/components/header";
import Link from "@cloudscape-design/components/link";
import { useApiClient } from "../api/api-context.tsx";
import { listRequests } from "../api/list-requests.ts";
import { formatTime } from "../components/labels.ts";
import { RequestStatusIndicator } from "../components/request-status.tsx";
import { errorMessage, useLoad } from "../components/use-load.ts";

/** Standalone view for agents: the requests they raised (the form needs a live contact in the workspace). */
export function MyRequests() {
  const client = useApiClient();
  const { data, error, loading } = useLoad("mine", (signal) => listRequests(client, {}, signal));
  return (
    <Container header={<Header variant="h1" description="Open the app from a live contact in the agent workspace to raise a new request.">Your erasure requests</Header>}>
      {loading && <Box>Loading…</Box>}
      {error !== undefined && <Alert type="error">{errorMessage(error)}</Alert>}
      {data && data.items.length === 0 && <Box>You have not raised any requests.</Box>}
      {data && data.items.length > 0 && (
        <ul aria-label="Your requests">
          {data.items.map((item) => (
            <li key={item.id}>
              <Link href={`#/requests/${item.id}`}>Request of {formatTime(item.requestedAt)}</Link>{" "}
              <RequestStatusIndicator status={item.status} />
            </li>
          ))}
        </ul>
      )}
    </Container>
  );
}
