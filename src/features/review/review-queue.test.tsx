import { cleanup, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { aRequest } from "../../testing/builders.ts";
import { stubFetch } from "../../testing/fetch-stub.ts";
import { renderWithApp } from "../../testing/render-with-app.tsx";
import { ReviewQueue } from "./review-queue.tsx";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const ids = ["10000000-0000-4000-8000-000000000001", "20000000-0000-4000-8000-000000000002", "30000000-0000-4000-8000-000000000003"];

describe("ReviewQueue", () => {
  it("lists open requests earliest deadline first and flags the overdue one in words", async () => {
    stubFetch([
      {
        method: "GET",
        path: "/api/requests",
        reply: () => ({
          body: {
            items: [
              aRequest({ id: ids[0], dueAt: "2027-02-01T00:00:00.000Z", requestedBy: "agent.alice" }),
              aRequest({ id: ids[1], dueAt: "2026-11-30T00:00:00.000Z", requestedBy: "agent.bob" }),
              aRequest({ id: ids[2], dueAt: "2026-12-20T00:00:00.000Z", status: "completed", requestedBy: "agent.carol" }),
            ],
          },
        }),
      },
    ]);
    renderWithApp(<ReviewQueue now={() => new Date("2026-12-04T00:00:00.000Z")} />);

    const table = await screen.findByRole("table");
    await within(table).findByText("agent.bob");
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((row) => within(row).queryByText(/agent\./)?.textContent)).toEqual(["agent.bob", "agent.alice"]);
    expect(within(rows[0]!).getByText(/Overdue/)).toBeTruthy();
    expect(within(rows[1]!).queryByText(/Overdue/)).toBeNull();
  });
});
