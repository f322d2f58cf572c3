/**
 * The `/_emulator` control API (JSON, permissive CORS so the demo harness page can call it from another
 * origin): reset, scenario loading, state dump, journal, quotas, fault plans and contact lifecycle steps.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { EmulatorState } from "./state.ts";
import type { Journal } from "./journal.ts";
import type { Quotas } from "./quotas.ts";
import { validateFaultPlan, type Faults, type FaultPlan } from "./faults.ts";
import { readBody } from "./wire.ts";
import { scenarioFromState, type Scenario } from "./scenario.ts";
import { LifecycleError, addLateArtifacts, endContact, startContact, transferContact, resolveInstance, type StartContactInput } from "./lifecycle.ts";

/** What the control API may touch. */
export interface ControlTarget {
  state: EmulatorState;
  journal: Journal;
  quotas: Quotas;
  faults: Faults;
  now(): Date;
  /** Moves the emulator clock forward (or back) and returns the new time. */
  advanceClock(ms: number): Date;
  load(s: Scenario): void;
  reset(): void;
  clear(): void;
}

const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST, DELETE, OPTIONS",
  "access-control-allow-headers": "content-type",
  "access-control-max-age": "600",
};

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, { ...CORS, "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const raw = await readBody(req);
  if (raw.length === 0) return {};
  const parsed: unknown = JSON.parse(raw.toString("utf8"));
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new LifecycleError(400, "body must be a JSON object");
  return parsed as Record<string, unknown>;
}

function optionalString(body: Record<string, unknown>, name: string): string | undefined {
  const v = body[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw new LifecycleError(400, `${name} must be a string`);
  return v;
}

function artifactOpts(body: Record<string, unknown>) {
  const recordedAt = optionalString(body, "recordedAt");
  if (recordedAt !== undefined && Number.isNaN(Date.parse(recordedAt))) throw new LifecycleError(400, "recordedAt must be an ISO time");
  return {
    ...(typeof body.ivr === "boolean" ? { ivr: body.ivr } : {}),
    ...(typeof body.contactLens === "boolean" ? { contactLens: body.contactLens } : {}),
    ...(body.deferArtifacts === true ? { deferArtifacts: true } : {}),
    ...(recordedAt ? { recordedAt: new Date(recordedAt) } : {}),
  };
}

/** Handles one control request; errors are JSON `{ error }` with a 4xx status. */
export async function handleControl(
  req: IncomingMessage,
  res: ServerResponse,
  url: { pathname: string; searchParams: URLSearchParams },
  t: ControlTarget,
): Promise<void> {
  const method = req.method ?? "GET";
  if (method === "OPTIONS") {
    res.writeHead(204, CORS);
    res.end();
    return;
  }
  const path = url.pathname.replace(/\/+$/, "");
  try {
    const body = method === "POST" ? await jsonBody(req) : {};
    if (method === "POST" && path === "/_emulator/reset") {
      if (body.empty === true) t.clear();
      else t.reset();
      return send(res, 200, { ok: true });
    }
    if (method === "POST" && path === "/_emulator/scenario") {
      try {
        t.load(body as Scenario);
      } catch (err) {
        throw new LifecycleError(400, `scenario rejected: ${(err as Error).message}`);
      }
      return send(res, 200, { ok: true, instances: [...t.state.connect.instances.keys()], buckets: [...t.state.s3.buckets.keys()] });
    }
    if (method === "GET" && path === "/_emulator/state") return send(res, 200, scenarioFromState(t.state, { bodies: url.searchParams.get("bodies") === "1" }));
    if (method === "GET" && path === "/_emulator/journal") {
      const since = Number(url.searchParams.get("since") ?? 0);
      return send(res, 200, { entries: t.journal.list().filter((e) => e.seq > since) });
    }
    if (path === "/_emulator/quotas") {
      if (method === "POST") {
        const enabled = body.enabled;
        const scale = body.scale ?? t.quotas.current().scale;
        if (typeof enabled !== "boolean" || typeof scale !== "number" || !(scale > 0)) throw new LifecycleError(400, "expected { enabled: boolean, scale: number > 0 }");
        t.quotas.configure({ enabled, scale });
      }
      return send(res, 200, t.quotas.current());
    }
    if (path === "/_emulator/faults") {
      if (method === "POST") {
        const problem = validateFaultPlan(body);
        if (problem) throw new LifecycleError(400, problem);
        return send(res, 200, { id: t.faults.add(body as unknown as FaultPlan) });
      }
      if (method === "DELETE") {
        t.faults.clear();
        return send(res, 200, { ok: true });
      }
      return send(res, 200, { faults: t.faults.list() });
    }
    if (method === "POST" && path === "/_emulator/contacts") {
      const input: StartContactInput = {
        channel: body.channel as StartContactInput["channel"],
        ...(optionalString(body, "instanceId") ? { instanceId: optionalString(body, "instanceId")! } : {}),
        ...(optionalString(body, "agentUsername") ? { agentUsername: optionalString(body, "agentUsername")! } : {}),
        ...(optionalString(body, "customerAddress") ? { customerAddress: optionalString(body, "customerAddress")! } : {}),
        ...(optionalString(body, "relatedContactId") ? { relatedContactId: optionalString(body, "relatedContactId")! } : {}),
        ...(body.attributes && typeof body.attributes === "object" ? { attributes: body.attributes as Record<string, string> } : {}),
      };
      const c = startContact(t.state, input, t.now());
      return send(res, 200, { contactId: c.Id, initialContactId: c.InitialContactId, instanceId: c.InstanceId, channel: c.Channel, agentUserId: c.AgentInfo?.Id });
    }
    const m = /^\/_emulator\/contacts\/([^/]+)\/(transfer|end|recording)$/.exec(path);
    if (method === "POST" && m) {
      const id = decodeURIComponent(m[1]!);
      if (m[2] === "transfer") {
        const to = optionalString(body, "toAgentUsername");
        if (!to) throw new LifecycleError(400, "toAgentUsername is required");
        const { contact, artifacts } = transferContact(t.state, id, to, t.now(), artifactOpts(body), t.journal);
        return send(res, 200, {
          contactId: contact.Id,
          initialContactId: contact.InitialContactId,
          previousContactId: id,
          channel: contact.Channel,
          agentUserId: contact.AgentInfo?.Id,
          artifacts,
        });
      }
      if (m[2] === "end") return send(res, 200, { contactId: id, artifacts: endContact(t.state, id, t.now(), artifactOpts(body), t.journal) });
      return send(res, 200, { contactId: id, artifacts: addLateArtifacts(t.state, id, t.now(), artifactOpts(body)) });
    }
    if (path === "/_emulator/clock") {
      if (method === "POST") {
        if (typeof body.advanceMs !== "number" || !Number.isFinite(body.advanceMs)) throw new LifecycleError(400, "expected { advanceMs: number }");
        return send(res, 200, { now: t.advanceClock(body.advanceMs).toISOString() });
      }
      return send(res, 200, { now: t.now().toISOString() });
    }
    if (method === "GET" && path === "/_emulator/instance") {
      const i = resolveInstance(t.state);
      return send(res, 200, { id: i.Id, alias: i.Alias, region: t.state.region });
    }
    send(res, 404, { error: `no control route ${method} ${path}` });
  } catch (err) {
    if (err instanceof LifecycleError) return send(res, err.status, { error: err.message });
    if (err instanceof SyntaxError) return send(res, 400, { error: "body is not valid JSON" });
    throw err;
  }
}
