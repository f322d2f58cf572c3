import Alert from "@cloudscape-design/components/alert";
import Box from "@cloudscape-design/components/box";
import Container from "@cloudscape-design/components/container";
import Header from "@cloudscape-design/components/header";
import KeyValuePairs from "@cloudscape-design/components/key-value-pairs";
import SpaceBetween from "@cloudscape-design/components/space-between";
import { useApiClient } from "../../api/api-context.tsx";
import { getCertificate } from "../../api/get-certificate.ts";
import { STATUS_LABELS, formatTime } from "../../components/labels.ts";
import { StepList } from "../../components/step-list.tsx";
import { errorMessage, useLoad } from "../../components/use-load.ts";

export interface CertificateViewProps {
  requestId: string;
}

/** The erasure certificate of a finished request, with the hash recorded in the audit chain. */
export function CertificateView({ requestId }: CertificateViewProps) {
  const client = useApiClient();
  const { data, error, loading } = useLoad(requestId, (signal) => getCertificate(client, requestId, signal));
  return (
    <Container header={<Header variant="h1">Erasure certificate</Header>}>
      {loading && <Box>Loading the certificate…</Box>}
      {error !== undefined && (
        <Alert type="error" header="The certificate could not be loaded">
          {errorMessage(error)}
        </Alert>
      )}
      {data && (
        <SpaceBetween size="l">
          <KeyValuePairs
            columns={2}
            items={[
              { label: "Request", value: data.requestId },
              { label: "Outcome", value: STATUS_LABELS[data.status] },
              { label: "Contacts erased", value: String(data.contactIds.length) },
              { label: "Requested by", value: `${data.requestedBy}, ${formatTime(data.requestedAt)}` },
              { label: "Approved by", value: data.approvedBy ? `${data.approvedBy}, ${formatTime(data.approvedAt)}` : "—" },
              { label: "Issued", value: formatTime(data.issuedAt) },
              { label: "SHA-256 (in the audit chain)", value: <code>{data.hash}</code> },
            ]}
          />
          <StepList steps={data.steps} />
          {data.residue.length > 0 && (
            <ul aria-label="Residue">
              {data.residue.map((item, index) => (
                <li key={`${item.kind}-${index}`}>{item.reason}</li>
              ))}
            </ul>
          )}
        </SpaceBetween>
      )}
    </Container>
  );
}
