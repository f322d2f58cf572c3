import { cleanup, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ConfirmModal } from "./confirm-modal.tsx";

afterEach(cleanup);

function renderModal({ canConfirm, error }: { canConfirm: boolean; error?: string }) {
  const onConfirm = vi.fn();
  const onDismiss = vi.fn();
  render(
    <ConfirmModal
      visible
      header="Do the thing"
      closeAriaLabel="Close the thing dialog"
      confirmLabel="Do it"
      canConfirm={canConfirm}
      busy={false}
      error={error}
      errorHeader="Not done"
      onDismiss={onDismiss}
      onConfirm={onConfirm}
    >
      <input aria-label="Word" />
    </ConfirmModal>,
  );
  return { onConfirm, onDismiss, dialog: screen.getByRole("dialog", { name: "Do the thing" }) };
}

describe("ConfirmModal", () => {
  it("when confirming is not allowed, then neither the button nor Enter confirms", async () => {
    const { onConfirm, dialog } = renderModal({ canConfirm: false });

    const confirm = within(dialog).getByRole("button", { name: "Do it" });
    expect(confirm.hasAttribute("disabled") || confirm.getAttribute("aria-disabled") === "true").toBe(true);
    await userEvent.click(confirm);
    await userEvent.type(within(dialog).getByRole("textbox", { name: "Word" }), "x{Enter}");

    expect(onConfirm).not.toHaveBeenCalled();
  });

  it("when confirming is allowed, then the button and Enter in a field both confirm, and Cancel dismisses", async () => {
    const { onConfirm, onDismiss, dialog } = renderModal({ canConfirm: true });

    await userEvent.click(within(dialog).getByRole("button", { name: "Do it" }));
    await userEvent.type(within(dialog).getByRole("textbox", { name: "Word" }), "x{Enter}");
    await userEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));

    expect(onConfirm).toHaveBeenCalledTimes(2);
    expect(onDismiss).toHaveBeenCalledOnce();
  });

  it("when the action failed, then the error is shown inside the dialog under its header", () => {
    const { dialog } = renderModal({ canConfirm: true, error: "The server said no." });

    expect(within(dialog).getByText("Not done")).toBeTruthy();
    expect(within(dialog).getByText("The server said no.")).toBeTruthy();
    expect(within(dialog).getByRole("button", { name: "Close the thing dialog" })).toBeTruthy();
  });
});
