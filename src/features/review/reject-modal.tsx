import { useState } from "react";
import FormField from "@cloudscape-design/components/form-field";
import Select, { type SelectProps } from "@cloudscape-design/components/select";
import Textarea from "@cloudscape-design/components/textarea";
import type { RejectBody, RejectionReason } from "../../../backend/contract/schemas.ts";
import { ConfirmModal } from "../../components/confirm-modal.tsx";
import { REJECTION_LABELS } from "../../components/labels.ts";

const NOTE_MAX_LENGTH = 500;
const REASON_OPTIONS: SelectProps.Option[] = Object.entries(REJECTION_LABELS).map(([value, label]) => ({ value, label }));

export interface RejectModalProps {
  visible: boolean;
  busy: boolean;
  error?: string;
  onDismiss(): void;
  onConfirm(body: RejectBody): void;
}

/** Rejection with an Art. 17(3) reason code and an optional note (no personal data). */
export function RejectModal({ visible, busy, error, onDismiss, onConfirm }: RejectModalProps) {
  const [reason, setReason] = useState<SelectProps.Option | null>(null);
  const [note, setNote] = useState("");
  const confirm = () => {
    if (!reason || note.length > NOTE_MAX_LENGTH) return;
    onConfirm({ reasonCode: reason.value as RejectionReason, ...(note.trim() ? { note: note.trim() } : {}) });
  };
  return (
    <ConfirmModal
      visible={visible}
      header="Reject erasure request"
      closeAriaLabel="Close the rejection dialog"
      confirmLabel="Reject request"
      canConfirm={reason !== null}
      busy={busy}
      error={error}
      errorHeader="Not rejected"
      onDismiss={onDismiss}
      onConfirm={confirm}
    >
      <FormField label="Reason">
        <Select
          selectedOption={reason}
          onChange={({ detail }) => setReason(detail.selectedOption)}
          options={REASON_OPTIONS}
          placeholder="Choose a reason"
        />
      </FormField>
      <FormField
        label="Note (optional)"
        description="No personal data here."
        constraintText={`${note.length}/${NOTE_MAX_LENGTH} characters`}
        errorText={note.length > NOTE_MAX_LENGTH ? `At most ${NOTE_MAX_LENGTH} characters.` : undefined}
      >
        <Textarea value={note} onChange={({ detail }) => setNote(detail.value)} rows={3} />
      </FormField>
    </ConfirmModal>
  );
}
