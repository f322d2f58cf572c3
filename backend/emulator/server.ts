/**
 * The emulator's HTTP server: one loopback port for Connect, Customer Profiles and S3 (routed by the SigV4
 * credential scope's service, signatures ignored) plus the `/_emulator` control API. Every AWS call passes
 * through the same pipeline: fault plan → quota → handler → journal.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import { emptyState, replaceState, type EmulatorState } from "./state.ts";
import { Journal, type JournalEntry } from "./journal.ts";
import { Quotas, type QuotaSettings } from "./quotas.ts";
import { Faults } from "./faults.ts";
import { ServiceError, newRequestId, readBody } from "./wire.ts";
import type { CallContext, ParsedRequest, Reply, ServiceAdapter } from "./router.ts";
import { connectAdapter } from "./connect/routes.ts";
import { profilesAdapter } from "./profiles/routes.ts";
import { s3Adapter } from "./s3/routes.ts";
import * as connectErrors from "./connect/errors.ts";
import * as profileErrors from "./profiles/errors.ts";
import * as s3Errors from "./s3/errors.ts";
import { stateFromScenario, type Scenario } from "./scenario.ts";
import { handleControl, type ControlTarget } from "./control.ts";

export type { Scenario } from "./scenario.ts";
export type { EmulatorState } from "./state.ts";
export type { JournalEntry } from "./journal.ts";

export interface EmulatorOptions {
  port?: number;
  host?: string;
  scenario?: Scenario;
  quotas?: QuotaSettings;
  /** Clock for timestamps and Object Lock expiry; quotas always use the monotonic clock. */
  clock?: () => Date;
}

export interface RunningEmulator {
  url: string;
  port: number;
  close(): Promise<void>;
  /** Live state, for direct reads by independent verifiers (do not mutate from tests). */
  state: EmulatorState;
  /** Restores the scenario last loaded (or given at start); clears journal, faults, quota buckets and clock shift. */
  reset(): void;
  load(s: Scenario): void;
  journal(): JournalEntry[];
}

const ADAPTERS: Record<string, ServiceAdapter> = { connect: connectAdapter, profile: profilesAdapter, s3: s3Adapter };
const THROTTLE: Record<string, () => ServiceError> = {
  connect: connectErrors.throttling,
  profile: profileErrors.throttling,
  s3: s3Errors.slowDown,
};
const INTERNAL: Record<string, () => ServiceError> = {
  connect: () => connectErrors.internalService(),
  profile: () => profileErrors.internalServer(),
  s3: () => s3Errors.internalError(),
};

const SCOPE = /Credential=[^/,\s]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/;

/** The service name in the SigV4 credential scope (header or presigned query). */
function scopeService(req: IncomingMessage, query: URLSearchParams): string | undefined {
  const auth = req.headers.authorization ?? "";
  const fromHeader = SCOPE.exec(auth)?.[1];
  if (fromHeader) return fromHeader;
  const credential = query.get("X-Amz-Credential");
  return credential?.split("/")[3];
}

interface RawUrl {
  pathname: string;
  searchParams: URLSearchParams;
}

/** Splits a request target without WHATWG normalisation, which would collapse `..` and `.` inside S3 keys. */
function splitUrl(target: string): RawUrl {
  const q = target.indexOf("?");
  return q < 0
    ? { pathname: target, searchParams: new URLSearchParams() }
    : { pathname: target.slice(0, q), searchParams: new URLSearchParams(target.slice(q + 1)) };
}

function writeReply(res: ServerResponse, reply: Reply): void {
  const body = reply.body;
  const length = typeof body === "string" ? Buffer.byteLength(body) : body.length;
  const headers: Record<string, string> = { ...reply.headers };
  if (headers["content-length"] === undefined) headers["content-length"] = String(length);
  res.writeHead(reply.status, headers);
  res.end(reply.status === 204 ? undefined : body);
}

/** Starts the emulator; resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const baseClock = options.clock ?? (() => new Date());
  // Shifted through the control API so Object Lock expiry and date folders can be tested without waiting.
  let clockOffsetMs = 0;
  const clock = () => new Date(baseClock().getTime() + clockOffsetMs);
  let baseline: Scenario | undefined = options.scenario ? structuredClone(options.scenario) : undefined;
  const state: EmulatorState = baseline ? stateFromScenario(baseline) : emptyState();
  const journal = new Journal(clock);
  const quotas = new Quotas(options.quotas ?? { enabled: false, scale: 1 }, () => performance.now());
  const faults = new Faults();

  // Loading is test setup: it replaces state and journal but keeps fault plans and quota settings.
  const load = (s: Scenario) => {
    const next = stateFromScenario(s);
    baseline = structuredClone(s);
    replaceState(state, next);
    journal.clear();
  };
  const restart = (next: EmulatorState) => {
    clockOffsetMs = 0;
    replaceState(state, next);
    journal.clear();
    faults.clear();
    quotas.refill();
  };
  const reset = () => restart(baseline ? stateFromScenario(baseline) : emptyState());
  const control: ControlTarget = {
    state,
    journal,
    quotas,
    faults,
    now: clock,
    advanceClock: (ms: number) => {
      clockOffsetMs += ms;
      return clock();
    },
    load,
    reset,
    clear: () => restart(emptyState(state.accountId, state.region)),
  };

  async function handleAws(req: IncomingMessage, res: ServerResponse, url: RawUrl): Promise<void> {
    const body = await readBody(req);
    const requestId = newRequestId();
    const service = scopeService(req, url.searchParams);
    const adapter = service ? ADAPTERS[service] : undefined;
    if (!service || !adapter) {
      const msg = JSON.stringify({ message: `Unroutable request: no supported SigV4 service in the credential scope (${service ?? "none"})` });
      res.writeHead(400, { "content-type": "application/json", "x-amzn-errortype": "UnrecognizedClientException" });
      res.end(msg);
      return;
    }
    const parsed: ParsedRequest = { method: req.method ?? "GET", rawPath: url.pathname, query: url.searchParams, headers: req.headers, body, requestId };
    const call = adapter.resolve(parsed);
    const decision = faults.decide(service, call.op);
    if (decision.latencyMs > 0 && !decision.dropAfterCommit) await delay(decision.latencyMs);
    if (decision.resetBeforeCommit) {
      if (call.mutating) {
        const svc = service as JournalEntry["service"];
        journal.record({ service: svc, operation: call.op, ids: { ...call.ids }, outcome: "fault", errorCode: "ConnectionReset", dropped: true });
      }
      req.socket.destroy();
      return;
    }
    const ids: Record<string, unknown> = { ...call.ids };
    const ctx: CallContext = { state, journal, now: clock, note: (x) => Object.assign(ids, x) };
    let reply: Reply;
    let outcome: JournalEntry["outcome"] = "ok";
    let errorCode: string | undefined;
    // The entry is recorded before the handler runs so internal effects it causes (CTR ingestion) follow it.
    let entry: JournalEntry | undefined;
    if (decision.error) {
      const { code, status, message } = decision.error;
      reply = adapter.renderError(new ServiceError(code, status, message), parsed);
      outcome = "fault";
      errorCode = code;
    } else if (!quotas.take(service, call.op, call.quotaKey, call.cost)) {
      const err = THROTTLE[service]!();
      reply = adapter.renderError(err, parsed);
      outcome = "throttled";
      errorCode = err.code;
    } else {
      if (call.mutating) entry = journal.record({ service: service as JournalEntry["service"], operation: call.op, ids, outcome: "ok" });
      try {
        reply = call.run(ctx);
      } catch (err) {
        const se = err instanceof ServiceError ? err : INTERNAL[service]!();
        reply = adapter.renderError(se, parsed);
        outcome = "error";
        errorCode = se.code;
      }
    }
    if (call.mutating) {
      entry ??= journal.record({ service: service as JournalEntry["service"], operation: call.op, ids, outcome });
      entry.outcome = outcome;
      entry.status = reply.status;
      if (errorCode) entry.errorCode = errorCode;
      if (decision.dropAfterCommit) entry.dropped = true;
    }
    if (decision.dropAfterCommit) {
      if (decision.latencyMs > 0) await delay(decision.latencyMs);
      req.socket.destroy();
      return;
    }
    writeReply(res, reply);
  }

  const server = createServer((req, res) => {
    const url = splitUrl(req.url ?? "/");
    const work = url.pathname.startsWith("/_emulator") ? handleControl(req, res, url, control) : handleAws(req, res, url);
    work.catch(() => {
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ message: "emulator internal error" }));
      } else res.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;

  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    state,
    reset,
    load,
    journal: () => journal.list(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
