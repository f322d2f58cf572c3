/**
 * The emulator's whole mutable state, one object per running emulator. Tests and independent verifiers read it
 * directly (`RunningEmulator.state`); only handlers, the control API and scenario loading write it.
 */
import { emptyConnectState, type ConnectState } from "./connect/store.ts";
import { emptyProfilesState, type ProfilesState } from "./profiles/store.ts";
import { emptyS3State, type S3State } from "./s3/store.ts";

export interface EmulatorState {
  accountId: string;
  region: string;
  connect: ConnectState;
  profiles: ProfilesState;
  s3: S3State;
}

export const DEFAULT_ACCOUNT_ID = "123456789012";
export const DEFAULT_REGION = "eu-west-2";

/** A state with no instances, domains or buckets. */
export function emptyState(accountId = DEFAULT_ACCOUNT_ID, region = DEFAULT_REGION): EmulatorState {
  return { accountId, region, connect: emptyConnectState(), profiles: emptyProfilesState(), s3: emptyS3State() };
}

/** Replaces the contents of `target` in place so references held by tests stay valid. */
export function replaceState(target: EmulatorState, source: EmulatorState): void {
  Object.assign(target, source);
}
