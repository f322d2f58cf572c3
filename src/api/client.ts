import type { ErrorBody } from "../../backend/contract/schemas.ts";

/** A non-2xx answer from the API, carrying the contract's `{ error: { code, message } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export interface RequestOptions {
  body?: unknown;
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export interface ApiClient {
  /** Sends one JSON request with the bearer token; resolves with the parsed body or rejects with ApiError. */
  request<T>(method: "GET" | "POST", path: string, options?: RequestOptions): Promise<T>;
  /** Opens a streaming GET (server-sent events) with the bearer token. */
  openStream(path: string, signal: AbortSignal): Promise<Response>;
}

export interface ApiClientOptions {
  baseUrl: string;
  getToken: () => string | undefined;
  /** Called on 401 so the app can ask the user to sign in again. */
  onUnauthorized?: () => void;
}

async function toApiError(response: Response): Promise<ApiError> {
  let body: Partial<ErrorBody> | undefined;
  try {
    body = (await response.json()) as Partial<ErrorBody>;
  } catch {
    body = undefined;
  }
  const error = body?.error;
  return new ApiError(
    response.status,
    error?.code ?? `Http${response.status}`,
    error?.message ?? `The server answered HTTP ${response.status}`,
    error?.requestId,
  );
}

/** Creates the one fetch client of the app; every call carries `Authorization: Bearer <token>`. */
export function createApiClient({ baseUrl, getToken, onUnauthorized }: ApiClientOptions): ApiClient {
  const headersFor = (extra: Record<string, string>) => {
    const token = getToken();
    return token ? { ...extra, authorization: `Bearer ${token}` } : extra;
  };
  const check = async (response: Response) => {
    if (response.ok) return response;
    if (response.status === 401) onUnauthorized?.();
    throw await toApiError(response);
  };
  return {
    async request<T>(method: "GET" | "POST", path: string, options: RequestOptions = {}): Promise<T> {
      const headers: Record<string, string> = { accept: "application/json" };
      if (options.body !== undefined) headers["content-type"] = "application/json";
      if (options.idempotencyKey) headers["idempotency-key"] = options.idempotencyKey;
      const response = await check(
        await fetch(`${baseUrl}${path}`, {
          method,
          headers: headersFor(headers),
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          signal: options.signal,
        }),
      );
      if (response.status === 204) return undefined as T;
      return (await response.json()) as T;
    },
    async openStream(path: string, signal: AbortSignal): Promise<Response> {
      return check(
        await fetch(`${baseUrl}${path}`, {
          headers: headersFor({ accept: "text/event-stream" }),
          signal,
          cache: "no-store",
        }),
      );
    },
  };
}
