import { cleanup, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { aRequest, CONTACT_ID } from "../../testing/builders.ts";
import { stubFetch } from "../../testing/fetch-stub.ts";
import { renderWithApp } from "../../testing/render-with-app.tsx";
import { NOTE_MAX_LENGTH, RaiseForm } from "./raise-form.tsx";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("RaiseForm", () => {
  it("when submitted empty, then it names both missing answers and sends nothing", async () => {
    const { calls } = stubFetch([]);
    const onRaised = vi.fn();
    renderWithApp(<RaiseForm contactId={CONTACT_ID} onRaised={onRaised} />);

    await userEvent.click(screen.getByRole("button", { name: "Raise erasure request" }));

    expect(await screen.findByText("Choose how the caller's identity was verified.")).toBeTruthy();
    expect(screen.getByText("The customer must confirm the request.")).toBeTruthy();
    expect(calls).toHaveLength(0);
    expect(onRaised).not.toHaveBeenCalled();
  });

  it("when completed, then it posts the contract body with the bearer token and an idempotency key", async () => {
    const created = aRequest();
    const { calls } = stubFetch([{ method: "POST", path: "/api/requests", reply: () => ({ status: 201, body: created }) }]);
    const onRaised = vi.fn();
    renderWithApp(<RaiseForm contactId={CONTACT_ID} onRaised={onRaised} />);

    await userEvent.click(screen.getByRole("radio", { name: "Authenticated in the IVR" }));
    await userEvent.click(screen.getByRole("checkbox", { name: /The customer confirmed this request/ }));
    await userEvent.click(screen.getByRole("radio", { name: /all this customer's past contacts/ }));
    await userEvent.type(screen.getByRole("textbox"), "called twice");
    await userEvent.click(screen.getByRole("button", { name: "Raise erasure request" }));

    await waitFor(() => expect(onRaised).toHaveBeenCalledWith(created));
    expect(calls).toHaveLength(1);
    expect(calls[0]?.body).toEqual({
      contactId: CONTACT_ID,
      scope: { contactChain: true, customerHistory: true },
      verification: { method: "authenticated_in_ivr", confirmedByCustomer: true },
      note: "called twice",
    });
    expect(calls[0]?.headers.get("authorization")).toBe("Bearer test-token");
    expect(calls[0]?.headers.get("idempotency-key")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("shows the no-personal-data hint and counts the note, refusing more than the limit", async () => {
    const { calls } = stubFetch([]);
    renderWithApp(<RaiseForm contactId={CONTACT_ID} onRaised={vi.fn()} />);

    expect(screen.getByText(/No personal data here/)).toBeTruthy();
    expect(screen.getByText(`0/${NOTE_MAX_LENGTH} characters`)).toBeTruthy();
    const note = screen.getByRole("textbox");
    await userEvent.click(note);
    await userEvent.paste("x".repeat(NOTE_MAX_LENGTH + 1));

    expect(await screen.findByText(`${NOTE_MAX_LENGTH + 1}/${NOTE_MAX_LENGTH} characters`)).toBeTruthy();
    expect(screen.getByText(`At most ${NOTE_MAX_LENGTH} characters.`)).toBeTruthy();
    await userEvent.click(screen.getByRole("radio", { name: "Knowledge-based questions" }));
    await userEvent.click(screen.getByRole("checkbox", { name: /The customer confirmed this request/ }));
    await userEvent.click(screen.getByRole("button", { name: "Raise erasure request" }));
    expect(calls).toHaveLength(0);
  });

  it("when the API refuses, then its message is shown and the form stays", async () => {
    stubFetch([
      {
        method: "POST",
        path: "/api/requests",
        reply: () => ({ status: 409, body: { error: { code: "Conflict", message: "An open request exists for this contact" } } }),
      },
    ]);
    renderWithApp(<RaiseForm contactId={CONTACT_ID} onRaised={vi.fn()} />);

    await userEvent.click(screen.getByRole("radio", { name: "Knowledge-based questions" }));
    await userEvent.click(screen.getByRole("checkbox", { name: /The customer confirmed this request/ }));
    await userEvent.click(screen.getByRole("button", { name: "Raise erasure request" }));

    expect(await screen.findByText("An open request exists for this contact")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Raise erasure request" })).toBeTruthy();
  });
});
