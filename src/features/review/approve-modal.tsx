import { useState } from "react";
import Alert from "@cloudscape-design/components/alert";
import Box from "@cloudscape-design/components/box";
import FormField from "@cloudscape-design/components/form-field";
import Input from "@cloudscape-design/components/input";
import type { PreviewView } from "../../../backend/contract/schemas.ts";
import { ConfirmModal } from "../../components/confirm-modal.tsx";

/** The word a supervisor types to consent to an irreversible erasure. */
const CONSENT_WORD = "erase";

export interface ApproveModalProps {
  visible: boolean;
  preview?: PreviewView;
  busy: boolean;
  error?: string;
  onDismiss(): void;
  onConfirm(): void;
}

/** Typed confirmation before approving: lists what will be erased; the button stays disabled until "erase" is typed. */
export function ApproveModal({ visible, preview, busy, error, onDismiss, onConfirm }: ApproveModalProps) {
  const [typed, setTyped] = useState("");
  const consent = typed.trim().toLowerCase() === CONSENT_WORD;
  return (
    <ConfirmModal
      visible={visible}
      header="Approve erasure"
      closeAriaLabel="Close the approval dialog"
      confirmLabel="Approve erasure"
      canConfirm={consent}
      busy={busy}
      error={error}
      errorHeader="Not approved"
      onDismiss={onDismiss}
      onConfirm={onConfirm}
    >
      <Alert type="warning">Erasure cannot be undone. It starts when every contact in scope has ended.</Alert>
      {preview ? (
        <ul aria-label="What will be erased">
          <li>{preview.contacts} contact(s) in the chain</li>
          <li>{preview.attributeKeys} contact attribute(s) cleared</li>
          <li>{preview.hasCustomerEndpoint ? "The customer endpoint deleted" : "No customer endpoint stored"}</li>
          <li>{preview.s3ObjectVersions} recording or transcript object version(s) deleted</li>
          <li>{preview.profiles} customer profile(s) deleted</li>
        </ul>
      ) : (
        <Box>The preview of what will be erased is not available.</Box>
      )}
      <FormField label={`To confirm, type "${CONSENT_WORD}"`}>
        <Input value={typed} onChange={({ detail }) => setTyped(detail.value)} placeholder={CONSENT_WORD} />
      </FormField>
    </ConfirmModal>
  );
}
