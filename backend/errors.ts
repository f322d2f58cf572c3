/**
 * The one error type of the backend. Every layer throws `AppError`; the HTTP error handler turns it into
 * `{ error: { code, message, requestId } }` and the worker decides from `retryable` whether to back off or fail.
 */
export type AppErrorCode =
  | "BadRequest"
  | "ValidationFailed"
  | "Unauthenticated"
  | "Forbidden"
  | "NotFound"
  | "RequestNotFound"
  | "ContactNotFound"
  | "Conflict"
  | "DuplicateRequest"
  | "IdempotencyKeyReused"
  | "InvalidTransition"
  | "SelfApproval"
  | "ExtensionNotAllowed"
  | "PayloadTooLarge"
  | "UnsupportedMediaType"
  | "MethodNotAllowed"
  | "AwsThrottled"
  | "AwsUnavailable"
  | "AwsAccessDenied"
  | "AwsNotFound"
  | "AwsConflict"
  | "AwsInvalidRequest"
  | "ContactNotEnded"
  | "LeaseLost"
  | "StoreUnavailable"
  | "ConfigInvalid"
  | "Internal";

const DEFAULT_STATUS: Record<AppErrorCode, number> = {
  BadRequest: 400,
  ValidationFailed: 400,
  Unauthenticated: 401,
  Forbidden: 403,
  NotFound: 404,
  RequestNotFound: 404,
  ContactNotFound: 404,
  Conflict: 409,
  DuplicateRequest: 409,
  IdempotencyKeyReused: 422,
  InvalidTransition: 409,
  SelfApproval: 403,
  ExtensionNotAllowed: 409,
  PayloadTooLarge: 413,
  UnsupportedMediaType: 415,
  MethodNotAllowed: 405,
  AwsThrottled: 503,
  AwsUnavailable: 503,
  AwsAccessDenied: 502,
  AwsNotFound: 404,
  AwsConflict: 409,
  AwsInvalidRequest: 502,
  ContactNotEnded: 409,
  LeaseLost: 409,
  StoreUnavailable: 503,
  ConfigInvalid: 500,
  Internal: 500,
};

export interface AppErrorOptions {
  httpStatus?: number;
  retryable?: boolean;
  cause?: unknown;
  /** Extra machine-readable fields returned to the caller (never personal data). */
  details?: Record<string, unknown>;
}

/** An expected, classified failure. `message` must never contain caller personal data. */
export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly httpStatus: number;
  readonly retryable: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: AppErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.httpStatus = options.httpStatus ?? DEFAULT_STATUS[code];
    this.retryable = options.retryable ?? false;
    this.details = options.details;
  }
}

/** Normalises anything thrown into an AppError; unknown values become a non-retryable `Internal`. */
export function toAppError(thrown: unknown): AppError {
  if (thrown instanceof AppError) return thrown;
  return new AppError("Internal", "Internal error", { cause: thrown });
}
