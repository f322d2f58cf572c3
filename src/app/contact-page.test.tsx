import { cleanup, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { aRequest, CONTACT_ID, REQUEST_ID } from "../testing/builders.ts";
import { stubFetch } from "../testing/fetch-stub.ts";
import { renderWithApp } from "../testing/render-with-app.tsx";
import { ContactPage } from "./contact-page.tsx";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const session = {
  mode: "embedded" as const,
  instanceId: "i-1",
  region: "eu-west-2",
  contactId: CONTACT_ID,
  phase: "connected" as const,
  channel: { type: "voice", subtype: "connect:Telephony" },
};

describe("ContactPage", () => {
  it("when the contact already has a request, then its status is shown instead of the form", async () => {
    const existing = aRequest({ status: "running", steps: [{ name: "resolve-scope", status: "succeeded", attempts: 1, counts: { contacts: 2 } }] });
    stubFetch([
      { method: "GET", path: `/api/requests?contactId=${CONTACT_ID}`, reply: () => ({ body: { items: [existing] } }) },
      { method: "GET", path: `/api/requests/${REQUEST_ID}`, reply: () => ({ body: existing }) },
      { method: "GET", path: `/api/requests/${REQUEST_ID}/events`, reply: () => ({ status: 404, body: {} }) },
    ]);
    renderWithApp(<ContactPage session={session} username="agent.alice" />, session);

    expect(await screen.findByText("Erasing")).toBeTruthy();
    expect(screen.getByText("1 of 1 steps done")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Raise erasure request" })).toBeNull();
    expect(screen.getByTestId("contact-id").textContent).toBe(CONTACT_ID);
    expect(screen.getByText("voice (connect:Telephony)")).toBeTruthy();
  });

  it("when the contact has no request, then the form is offered", async () => {
    stubFetch([{ method: "GET", path: `/api/requests?contactId=${CONTACT_ID}`, reply: () => ({ body: { items: [] } }) }]);
    renderWithApp(<ContactPage session={session} username="agent.alice" />, session);

    expect(await screen.findByRole("button", { name: "Raise erasure request" })).toBeTruthy();
  });
});
