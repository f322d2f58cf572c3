import { cleanup, screen, waitFor, within } from "@testing-library/react";
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

  it("when extending, then a reason is required and the new deadline is shown; extension is offered only once", async () => {
    let current = aRequest();
    const bodies: unknown[] = [];
    stubFetch([
      { method: "GET", path: `/api/requests/${REQUEST_ID}`, reply: () => ({ body: current }) },
      { method: "GET", path: `/api/requests/${REQUEST_ID}/events`, reply: () => ({ status: 404, body: {} }) },
      { method: "GET", path: `/api/contacts/${CONTACT_ID}/preview`, reply: () => ({ body: preview }) },
      {
        method: "POST",
        path: `/api/requests/${REQUEST_ID}/extend`,
        reply: ({ body }) => {
          bodies.push(body);
          current = { ...current, extendedDueAt: "2027-03-01T10:00:00.000Z", extensionReason: "complex request" };
          return { body: current };
        },
      },
    ]);
    renderWithApp(<ReviewDetail requestId={REQUEST_ID} username="supervisor.sam" />);

    const [openExtend] = (await screen.findAllByRole("button", { name: "Extend deadline" })).filter((b) => !b.closest("[role=dialog]"));
    await userEvent.click(openExtend!);
    const dialog = await screen.findByRole("dialog", { name: "Extend the deadline" });
    const confirm = within(dialog).getByRole("button", { name: "Extend deadline" });
    expect(confirm.hasAttribute("disabled") || confirm.getAttribute("aria-disabled") === "true").toBe(true);
    await userEvent.type(within(dialog).getByRole("textbox"), "complex request");
    await userEvent.click(within(dialog).getByRole("button", { name: "Extend deadline" }));

    expect(await screen.findByText("Deadline extended.")).toBeTruthy();
    expect(bodies).toEqual([{ reason: "complex request" }]);
    expect(screen.getByText(/\(extended: complex request\)/)).toBeTruthy();
    const outsideDialog = screen.queryAllByRole("button", { name: "Extend deadline" }).filter((button) => !dialog.contains(button));
    expect(outsideDialog).toHaveLength(0);
  });

  it("when a request failed, then retry re-queues it", async () => {
    let current = aRequest({ status: "failed", approvedBy: "supervisor.sue", steps: [{ name: "delete-recordings", status: "failed", attempts: 5, counts: {}, lastErrorCode: "AccessDenied" }] });
    const retried = vi.fn();
    stubFetch([
      { method: "GET", path: `/api/requests/${REQUEST_ID}`, reply: () => ({ body: current }) },
      { method: "GET", path: `/api/requests/${REQUEST_ID}/events`, reply: () => ({ status: 404, body: {} }) },
      { method: "GET", path: `/api/contacts/${CONTACT_ID}/preview`, reply: () => ({ body: preview }) },
      {
        method: "POST",
        path: `/api/requests/${REQUEST_ID}/retry`,
        reply: () => {
          retried();
          current = { ...current, status: "approved" };
          return { body: current };
        },
      },
    ]);
    renderWithApp(<ReviewDetail requestId={REQUEST_ID} username="supervisor.sam" />);

    await userEvent.click(await screen.findByRole("button", { name: "Retry failed steps" }));

    expect(await screen.findByText("Failed steps re-queued.")).toBeTruthy();
    expect(retried).toHaveBeenCalledOnce();
    expect(screen.getByTestId("request-status").dataset.status).toBe("approved");
  });
});
