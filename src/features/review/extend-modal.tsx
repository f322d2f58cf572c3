import { useState } from "react";
import Alert from "@cloudscape-design/components/alert";
import Box from "@cloudscape-design/components/box";
import Button from "@cloudscape-design/components/button";
import FormField from "@cloudscape-design/components/form-field";
import Modal from "@cloudscape-design/components/modal";
import SpaceBetween from "@cloudscape-design/components/space-between";
import Textarea from "@cloudscape-design/components/textarea";

const REASON_MIN = 3;
const REASON_MAX = 500;

export interface ExtendModalProps {
  visible: boolean;
  busy: boolean;
  error?: string;
  onDismiss(): void;
  onConfirm(reason: string): void;
}

/** Extends the deadline (once, up to two months, Art. 12(3)); the reason is recorded and told to the requester. */
export function ExtendModal({ visible, busy, error, onDismiss, onConfirm }: ExtendModalProps) {
  const [reason, setReason] = useState("");
  const valid = reason.trim().length >= REASON_MIN && reason.length <= REASON_MAX;
  return (
    <Modal
      visible={visible}
      onDismiss={onDismiss}
      header="Extend the deadline"
      closeAriaLabel="Close the extension dialog"
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={onDismiss}>
              Cancel
            </Button>
            <Button variant="primary" disabled={!valid} loading={busy} onClick={() => onConfirm(reason.trim())}>
              Extend deadline
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      <SpaceBetween size="m">
        <Box>The deadline can be extended once, by up to two months, for complex or numerous requests.</Box>
        <FormField
          label="Reason for the extension"
          description="No personal data here."
          constraintText={`${reason.length}/${REASON_MAX} characters`}
        >
          <Textarea value={reason} onChange={({ detail }) => setReason(detail.value)} rows={3} />
        </FormField>
        {error && (
          <Alert type="error" header="Not extended">
            {error}
          </Alert>
        )}
      </SpaceBetween>
    </Modal>
  );
}
