import { cleanup, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ErasureRequestView } from "../../../backend/contract/schemas.ts";
import { aRequest, CONTACT_ID, REQUEST_ID } from "../../testing/builders.ts";
import { stubFetch } from "../../testing/fetch-stub.ts";
import { renderWithApp } from "../../testing/render-with-app.tsx";
import { ReviewDetail } from "./review-detail.tsx";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const preview = { contactId: CONTACT_ID, contactEnded: false, contacts: 2, attributeKeys: 3, hasCustomerEndpoint: true, s3ObjectVersions: 4, profiles: 1 };

function serve(request: ErasureRequestView, onApprove = vi.fn()) {
  let current = request;
  return stubFetch([
    { method: "GET", path: `/api/requests/${REQUEST_ID}`, reply: () => ({ body: current }) },
    // No event stream in these tests: the watcher falls back to polling.
    { method: "GET", path: `/api/requests/${REQUEST_ID}/events`, reply: () => ({ status: 404, body: { error: { code: "NotFound", message: "x" } } }) },
    { method: "GET", path: `/api/contacts/${CONTACT_ID}/preview`, reply: () => ({ body: preview }) },
    {
      method: "POST",
      path: `/api/requests/${REQUEST_ID}/approve`,
      reply: () => {
        onApprove();
        current = { ...current, status: "approved", approvedBy: "supervisor.sam" };
        return { body: current };
      },
    },
  ]);
}

describe("ReviewDetail", () => {
  it("when the supervisor raised the request, then approve is disabled and the four-eyes reason is shown", async () => {
    serve(aRequest({ requestedBy: "supervisor.sam" }));
    renderWithApp(<ReviewDetail requestId={REQUEST_ID} username="supervisor.sam" />);

    const approve = await screen.findByRole("button", { name: "Approve" });
    expect(approve.getAttribute("aria-disabled")).toBe("true");
    expect(screen.getByText(/another supervisor must approve it \(four-eyes rule\)/)).toBeTruthy();
  });

  it("when approving, then the button stays disabled until 'erase' is typed, and the request becomes approved", async () => {
    const onApprove = vi.fn();
    serve(aRequest(), onApprove);
    renderWithApp(<ReviewDetail requestId={REQUEST_ID} username="supervisor.sam" />);

    expect(await screen.findByText("Knowledge-based questions")).toBeTruthy();
    await screen.findByText("Contacts in the chain");
    await userEvent.click(screen.getByRole("button", { name: "Approve" }));
    const dialog = await screen.findByRole("dialog", { name: "Approve erasure" });
    expect(dialog.textContent).toContain("4 recording or transcript object version(s) deleted");
    const confirm = screen.getByRole("button", { name: "Approve erasure" });
    expect(confirm.hasAttribute("disabled") || confirm.getAttribute("aria-disabled") === "true").toBe(true);
    await userEvent.click(confirm);
    expect(onApprove).not.toHaveBeenCalled();

    await userEvent.type(screen.getByRole("textbox", { name: /To confirm, type "erase"/ }), "erase");
    await userEvent.click(screen.getByRole("button", { name: "Approve erasure" }));

    await waitFor(() => expect(onApprove).toHaveBeenCalledOnce());
    expect(await screen.findByText("Request approved.")).toBeTruthy();
    expect(screen.getByTestId("request-status").dataset.status).toBe("approved");
  });
});
