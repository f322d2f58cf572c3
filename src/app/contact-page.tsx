import { useState } from "react";
import Alert from "@cloudscape-design/components/alert";
import Box from "@cloudscape-design/components/box";
import Container from "@cloudscape-design/components/container";
import Header from "@cloudscape-design/components/header";
import KeyValuePairs from "@cloudscape-design/components/key-value-pairs";
import SpaceBetween from "@cloudscape-design/components/space-between";
import type { ErasureRequestView } from "../../backend/contract/schemas.ts";
import { useApiClient } from "../api/api-context.tsx";
import { listRequests } from "../api/list-requests.ts";
import { errorMessage, useLoad } from "../components/use-load.ts";
import { RaiseForm } from "../features/raise/raise-form.tsx";
import { StatusCard } from "../features/status/status-card.tsx";
import type { ContactPhase, EmbeddedSession } from "../workspace/session.ts";

const PHASE_LABELS: Record<ContactPhase, string> = {
  connected: "Live",
  after_contact_work: "After-contact work",
  cleared: "Ended",
};

/** A request that is over without erasing anything; the agent may raise a new one. */
function isClosedWithoutErasure(request: ErasureRequestView): boolean {
  return request.status === "rejected" || request.status === "cancelled";
}

export interface ContactPageProps {
  session: EmbeddedSession & { contactId: string };
  username: string;
}

/** The agent's view of the live contact: its details, then the existing request or the form to raise one. */
export function ContactPage({ session, username }: ContactPageProps) {
  const client = useApiClient();
  const { contactId } = session;
  const existing = useLoad(contactId, (signal) => listRequests(client, { contactId }, signal));
  // The newest request as last seen (raised here or updated by its status card), else the newest listed.
  const [current, setCurrent] = useState<ErasureRequestView>();
  const [raisedHere, setRaisedHere] = useState(false);
  const latest = current ?? [...(existing.data?.items ?? [])].sort((a, b) => b.requestedAt.localeCompare(a.requestedAt))[0];

  return (
    <SpaceBetween size="l">
      <Container header={<Header variant="h1">Current contact</Header>}>
        <KeyValuePairs
          columns={3}
          items={[
            { label: "Contact ID", value: <span data-testid="contact-id">{contactId}</span> },
            {
              label: "Channel",
              value: session.channel ? `${session.channel.type} (${session.channel.subtype})` : "—",
            },
            { label: "State", value: <span data-testid="contact-phase">{session.phase ? PHASE_LABELS[session.phase] : "—"}</span> },
          ]}
        />
      </Container>
      {existing.loading && !current && <Box>Checking for an existing request…</Box>}
      {existing.error !== undefined && !current && (
        <Alert type="error" header="Could not check for an existing request">
          {errorMessage(existing.error)}
        </Alert>
      )}
      {raisedHere && latest?.status === "pending_approval" && (
        <Alert type="success" header="Erasure request raised">
          A supervisor must approve it before anything is erased. Its status updates here.
        </Alert>
      )}
      {latest && (
        <StatusCard key={latest.id} requestId={latest.id} initial={latest} username={username} onUpdate={setCurrent} />
      )}
      {!existing.loading && existing.error === undefined && (!latest || isClosedWithoutErasure(latest)) && (
        <RaiseForm key={latest?.id ?? "first"} contactId={contactId} onRaised={(request) => {
            setRaisedHere(true);
            setCurrent(request);
          }} />
      )}
    </SpaceBetween>
  );
}
