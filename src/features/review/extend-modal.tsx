import { useState } from "react";
import Box from "@cloudscape-design/components/box";
import FormField from "@cloudscape-design/components/form-field";
import Textarea from "@cloudscape-design/components/textarea";
import { ConfirmModal } from "../../components/confirm-modal.tsx";

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
    <ConfirmModal
      visible={visible}
      header="Extend the deadline"
      closeAriaLabel="Close the extension dialog"
      confirmLabel="Extend deadline"
      canConfirm={valid}
      busy={busy}
      error={error}
      errorHeader="Not extended"
      onDismiss={onDismiss}
      onConfirm={() => onConfirm(reason.trim())}
    >
      <Box>The deadline can be extended once, by up to two months, for complex or numerous requests.</Box>
      <FormField
        label="Reason for the extension"
        description="No personal data here."
        constraintText={`${reason.length}/${REASON_MAX} characters`}
      >
        <Textarea value={reason} onChange={({ detail }) => setReason(detail.value)} rows={3} />
      </FormField>
    </ConfirmModal>
  );
}
