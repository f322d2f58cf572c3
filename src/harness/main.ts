import { describeInstance } from "./emulator-control.ts";
import { startHarnessPage, type HarnessConfig } from "./harness-page.ts";
import "./harness.css";

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`harness.html lacks #${id}`);
  return element as T;
}

async function boot(): Promise<void> {
  const response = await fetch("/harness-config.json", { cache: "no-store" });
  const served = (await response.json()) as HarnessConfig;
  const config: HarnessConfig = { ...(await describeInstance(served.emulatorUrl)), ...served };
  window.__harness = startHarnessPage(config, {
    user: byId("user"),
    frameSlot: byId("frame-slot"),
    status: byId("status"),
    standalone: byId("standalone"),
    error: byId("error"),
    buttons: {
      start: byId("start"),
      transfer: byId("transfer"),
      end: byId("end"),
      clear: byId("clear"),
      open: byId("open"),
      close: byId("close"),
    },
  });
  document.body.dataset.ready = "true";
}

void boot().catch((cause: unknown) => {
  byId("error").textContent = `Harness failed to start: ${cause instanceof Error ? cause.message : String(cause)}`;
});
