/**
 * The only place SDK errors are classified. Throttling and 5xx become retryable; access and validation
 * errors do not; "not found" stays distinguishable so callers can confirm absence by a read.
 */
import { AppError, type AppErrorCode } from "../errors.ts";

const THROTTLING = new Set([
  "ThrottlingException",
  "Throttling",
  "TooManyRequestsException",
  "LimitExceededException",
  "RequestLimitExceeded",
  "SlowDown",
  "ProvisionedThroughputExceededException",
  "BandwidthLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "ThrottledException",
]);
const TRANSIENT = new Set([
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
  "InternalServiceException",
  "InternalServerException",
  "InternalError",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
]);
const NOT_FOUND = new Set(["ResourceNotFoundException", "ContactNotFoundException", "NoSuchKey", "NoSuchBucket", "NotFound"]);
const ACCESS_DENIED = new Set(["AccessDenied", "AccessDeniedException", "Forbidden"]);
const CONFLICT = new Set(["ContactNotTerminatedException", "ConflictException", "ResourceConflictException"]);

interface SdkLikeError {
  name?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $fault?: "client" | "server";
}

/**
 * Translates an AWS SDK (or network) error into an AppError tagged with the operation name.
 * The SDK message is not copied: AWS messages can echo request values.
 */
export function translateAwsError(operation: string, thrown: unknown): AppError {
  if (thrown instanceof AppError) return thrown;
  const err = (thrown ?? {}) as SdkLikeError;
  // Network failures arrive as a plain Error whose `code` (ECONNREFUSED, …) is the useful name.
  const name = err.code !== undefined && TRANSIENT.has(err.code) ? err.code : (err.name ?? err.code ?? "Unknown");
  const status = err.$metadata?.httpStatusCode;
  let code: AppErrorCode;
  let retryable = false;
  if (THROTTLING.has(name) || status === 429) {
    code = "AwsThrottled";
    retryable = true;
  } else if (TRANSIENT.has(name) || (status !== undefined && status >= 500) || err.$fault === "server") {
    code = "AwsUnavailable";
    retryable = true;
  } else if (name === "ContactNotTerminatedException") {
    code = "ContactNotEnded";
    retryable = true;
  } else if (CONFLICT.has(name)) {
    code = "AwsConflict";
    retryable = true;
  } else if (NOT_FOUND.has(name) || status === 404 || status === 410) {
    code = "AwsNotFound";
  } else if (ACCESS_DENIED.has(name) || status === 403) {
    code = "AwsAccessDenied";
  } else {
    code = "AwsInvalidRequest";
  }
  return new AppError(code, `${operation} failed: ${name}`, {
    retryable,
    cause: thrown,
    details: { operation, awsError: name, ...(status ? { awsStatus: status } : {}) },
  });
}

/** Runs one AWS call and translates its failure. */
export async function awsCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (thrown) {
    throw translateAwsError(operation, thrown);
  }
}
