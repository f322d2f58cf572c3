import { describe, expect, it } from "vitest";
import { workspaceSession } from "./workspace.ts";

describe("workspace adapter outside a workspace", () => {
  it("when the page is not framed, then it is standalone at once (no host could ever acknowledge)", () => {
    expect(workspaceSession.get()).toEqual({ mode: "standalone" });
  });
});
