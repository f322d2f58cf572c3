import { useState } from "react";
import Alert from "@cloudscape-design/components/alert";
import Box from "@cloudscape-design/components/box";
import Button from "@cloudscape-design/components/button";
import FormField from "@cloudscape-design/components/form-field";
import Input from "@cloudscape-design/components/input";
import Modal from "@cloudscape-design/components/modal";
import SpaceBetween from "@cloudscape-design/components/space-between";
import type { PreviewView } from "../../../backend/contract/schemas.ts";

/** The word a supervisor types to consent to an irreversible erasure. */
export const CONSENT_WORD = "erase";

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
    <Modal
      visible={visible}
      onDismiss={onDismiss}
      header="Approve erasure"
      closeAriaLabel="Close the approval dialog"
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={onDismiss}>
              Cancel
            </Button>
            <Button variant="primary" disabled={!consent} loading={busy} onClick={onConfirm}>
              Approve erasure
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (consent) onConfirm();
        }}
      >
        <SpaceBetween size="m">
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
          {error && (
            <Alert type="error" header="Not approved">
              {error}
            </Alert>
          )}
        </SpaceBetween>
      </form>
    </Modal>
  );
}
