/**
 * What every step receives and returns. A step is an idempotent function of the request, the resolved scope and
 * the live AWS state: running it twice (after a crash, or a retry) converges to the same end state.
 */
import type { Transaction } from "kysely";
import type { Logger } from "pino";
import type { ConnectGateway } from "../aws/connect-gateway.ts";
import type { ProfilesGateway } from "../aws/profiles-gateway.ts";
import type { S3Gateway } from "../aws/s3-gateway.ts";
import type { Config } from "../config.ts";
import type { ResidueItem } from "../contract/schemas.ts";
import type { ErasureRequest } from "../domain/request.ts";
import { AppError } from "../errors.ts";
import type { Database } from "../store/schema.ts";
import type { RequestPort } from "./request-port.ts";
import type { StorageConfigCache } from "./storage-config-cache.ts";

/** One contact of the resolved scope: ids, channel and times only (no endpoint, no attributes). */
export interface ScopedContact {
  id: string;
  initialContactId: string;
  channel: string;
  /** ISO times; `disconnectedAt` absent while the contact is live. */
  initiatedAt?: string;
  disconnectedAt?: string;
  /** `bucket/key` of each recording DescribeContact lists. */
  recordingLocations: string[];
  /** Whether DescribeContact showed a customer endpoint address when the scope was resolved (never the address). */
  hasCustomerEndpoint: boolean;
}

/** resolve-scope's result, read by every later step. */
export interface ScopeSnapshot {
  contacts: ScopedContact[];
}

export interface Gateways {
  connect: ConnectGateway;
  profiles: ProfilesGateway | undefined;
  s3: S3Gateway;
}

export interface StepContext {
  request: ErasureRequest;
  /** Empty for resolve-scope; the resolved scope for every later step. */
  scope: ScopeSnapshot;
  /** Results of the steps before this one, by step name. */
  earlierResults: ReadonlyMap<string, Record<string, unknown>>;
  gateways: Gateways;
  storageConfigs: StorageConfigCache;
  requests: RequestPort;
  config: Config;
  now: () => Date;
  logger: Logger;
  signal: AbortSignal;
}

/** Work to do inside the fenced transaction that records the step's success (request transition, scope rows). */
export type CommitHook = (trx: Transaction<Database>, now: Date) => Promise<void>;

export type StepOutcome =
  | {
      kind: "done";
      counts: Record<string, number>;
      /** Stored as result_json: ids, keys, version ids, residue items; never values. */
      result: Record<string, unknown> & { residue?: ResidueItem[] };
      commit?: CommitHook;
    }
  | {
      /** Not runnable yet: come back at `until`; `waitingFor` is shown on the request. */
      kind: "defer";
      until: Date;
      waitingFor: string;
      commit?: CommitHook;
    };

export type Step = (ctx: StepContext) => Promise<StepOutcome>;

/** A read-back found data still present: retry the step (it is idempotent) after backoff. */
export function verificationFailed(step: string, what: string, remaining: number): AppError {
  return new AppError("Conflict", `${step}: verification found ${remaining} ${what} still present`, {
    retryable: true,
    details: { verification: step, remaining },
  });
}

/** Runs `fn`, treating a resource Connect or Profiles no longer knows (`AwsNotFound`) as `undefined`: nothing to erase. */
export async function unlessNotFound<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AppError && err.code === "AwsNotFound") return undefined;
    throw err;
  }
}
