import { useState } from "react";
import Alert from "@cloudscape-design/components/alert";
import Button from "@cloudscape-design/components/button";
import Checkbox from "@cloudscape-design/components/checkbox";
import Form from "@cloudscape-design/components/form";
import FormField from "@cloudscape-design/components/form-field";
import Header from "@cloudscape-design/components/header";
import RadioGroup from "@cloudscape-design/components/radio-group";
import SpaceBetween from "@cloudscape-design/components/space-between";
import Textarea from "@cloudscape-design/components/textarea";
import Container from "@cloudscape-design/components/container";
import type { ErasureRequestView, VerificationMethod } from "../../../backend/contract/schemas.ts";
import { useApiClient } from "../../api/api-context.tsx";
import { createRequest } from "../../api/create-request.ts";
import { VERIFICATION_LABELS } from "../../components/labels.ts";
import { errorMessage } from "../../components/use-load.ts";

/** Maximum note length, as the contract caps it. */
export const NOTE_MAX_LENGTH = 500;

const METHOD_OPTIONS = Object.entries(VERIFICATION_LABELS).map(([value, label]) => ({ value, label }));

export interface RaiseFormProps {
  contactId: string;
  onRaised(request: ErasureRequestView): void;
}

/** The agent's form: how identity was checked, the customer's confirmation, scope and an optional note. */
export function RaiseForm({ contactId, onRaised }: RaiseFormProps) {
  const client = useApiClient();
  const [method, setMethod] = useState<VerificationMethod | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  const [scope, setScope] = useState<"contact" | "history">("contact");
  const [note, setNote] = useState("");
  const [submitted, setSubmitted] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  // One key per form: a resubmit after a network error returns the request already created.
  const [idempotencyKey] = useState(() => crypto.randomUUID());

  const methodError = submitted && !method ? "Choose how the caller's identity was verified." : undefined;
  const confirmError = submitted && !confirmed ? "The customer must confirm the request." : undefined;
  const noteError = note.length > NOTE_MAX_LENGTH ? `At most ${NOTE_MAX_LENGTH} characters.` : undefined;

  const submit = async () => {
    setSubmitted(true);
    setError(undefined);
    if (!method || !confirmed || noteError) return;
    setPending(true);
    try {
      const request = await createRequest(
        client,
        {
          contactId,
          scope: { contactChain: true, customerHistory: scope === "history" },
          verification: { method, confirmedByCustomer: true },
          ...(note.trim() ? { note: note.trim() } : {}),
        },
        idempotencyKey,
      );
      onRaised(request);
    } catch (cause) {
      setError(errorMessage(cause));
    } finally {
      setPending(false);
    }
  };

  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <Form
        header={<Header variant="h2" description="Raise an erasure request (GDPR Art. 17) for the caller on this contact.">Erase the caller's data</Header>}
        actions={
          <Button variant="primary" formAction="submit" loading={pending}>
            Raise erasure request
          </Button>
        }
      >
        <Container>
          <SpaceBetween size="l">
            <FormField label="How was the caller's identity verified?" errorText={methodError}>
              <RadioGroup
                value={method}
                onChange={({ detail }) => setMethod(detail.value as VerificationMethod)}
                items={METHOD_OPTIONS}
                ariaRequired
              />
            </FormField>
            <FormField label="Customer confirmation" errorText={confirmError}>
              <Checkbox checked={confirmed} onChange={({ detail }) => setConfirmed(detail.checked)}>
                The customer confirmed this request
              </Checkbox>
            </FormField>
            <FormField label="What to erase">
              <RadioGroup
                ariaLabel="What to erase"
                value={scope}
                onChange={({ detail }) => setScope(detail.value as "contact" | "history")}
                items={[
                  { value: "contact", label: "This contact and its transfers" },
                  {
                    value: "history",
                    label: "This contact, its transfers and all this customer's past contacts",
                    description: "Past contacts are found through the customer's profile.",
                  },
                ]}
              />
            </FormField>
            <FormField
              label={
                <span>
                  Note <i>(optional)</i>
                </span>
              }
              description="No personal data here: no names, phone numbers, e-mail addresses or account numbers."
              constraintText={`${note.length}/${NOTE_MAX_LENGTH} characters`}
              errorText={noteError}
            >
              <Textarea value={note} onChange={({ detail }) => setNote(detail.value)} rows={3} />
            </FormField>
            {error && (
              <Alert type="error" header="The request was not raised">
                {error}
              </Alert>
            )}
          </SpaceBetween>
        </Container>
      </Form>
    </form>
  );
}
