/**
 * How gateways run one AWS call. The erasure executor plugs its shared rate limiter and in-place throttle retry
 * in here; the default runs the call once. Every runner must still translate errors through `awsCall`.
 */
import { awsCall } from "./aws-errors.ts";

/** Runs `call` for the named AWS operation (e.g. "DescribeContact"); errors are AppErrors. */
export type CallRunner = <T>(operation: string, call: () => Promise<T>) => Promise<T>;

/** The plain runner: one attempt, error translated. */
export const directRunner: CallRunner = (operation, call) => awsCall(operation, call);
