import type { ReactNode } from "react";
import Alert from "@cloudscape-design/components/alert";
import Box from "@cloudscape-design/components/box";
import Button from "@cloudscape-design/components/button";
import Modal from "@cloudscape-design/components/modal";
import SpaceBetween from "@cloudscape-design/components/space-between";

export interface ConfirmModalProps {
  visible: boolean;
  header: string;
  /** Screen-reader label of the close (×) button, naming the dialog. */
  closeAriaLabel: string;
  confirmLabel: string;
  /** False keeps the primary button disabled and Enter from confirming. */
  canConfirm: boolean;
  busy: boolean;
  error?: string;
  /** Header of the error alert, saying what did not happen. */
  errorHeader: string;
  onDismiss(): void;
  onConfirm(): void;
  children: ReactNode;
}

/** A dialog with Cancel and one primary action, showing the action's error inside, so every confirmation looks and behaves alike. */
export function ConfirmModal({
  visible,
  header,
  closeAriaLabel,
  confirmLabel,
  canConfirm,
  busy,
  error,
  errorHeader,
  onDismiss,
  onConfirm,
  children,
}: ConfirmModalProps) {
  return (
    <Modal
      visible={visible}
      onDismiss={onDismiss}
      header={header}
      closeAriaLabel={closeAriaLabel}
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={onDismiss}>
              Cancel
            </Button>
            <Button variant="primary" disabled={!canConfirm} loading={busy} onClick={onConfirm}>
              {confirmLabel}
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      {/* A form so that Enter in a text input confirms, like the primary button, once it is allowed. */}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (canConfirm) onConfirm();
        }}
      >
        <SpaceBetween size="m">
          {children}
          {error && (
            <Alert type="error" header={errorHeader}>
              {error}
            </Alert>
          )}
        </SpaceBetween>
      </form>
    </Modal>
  );
}
