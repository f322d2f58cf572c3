import { describe, expect, it } from "vitest";
import { translateAwsError } from "./aws-errors.ts";

const sdkError = (name: string, status?: number, fault?: "client" | "server") =>
  Object.assign(new Error("msg with +44 7700 900123"), { name, $metadata: { httpStatusCode: status }, $fault: fault });

describe("translateAwsError (R5 classification table)", () => {
  const cases: [label: string, thrown: unknown, code: string, retryable: boolean][] = [
    ["ThrottlingException 429", sdkError("ThrottlingException", 429), "AwsThrottled", true],
    ["LimitExceededException", sdkError("LimitExceededException", 429), "AwsThrottled", true],
    ["S3 SlowDown 503", sdkError("SlowDown", 503, "server"), "AwsThrottled", true],
    ["429 without a known name", sdkError("Unknown", 429), "AwsThrottled", true],
    ["InternalServiceException 500", sdkError("InternalServiceException", 500, "server"), "AwsUnavailable", true],
    ["any 502", sdkError("BadGateway", 502, "server"), "AwsUnavailable", true],
    ["TimeoutError", sdkError("TimeoutError"), "AwsUnavailable", true],
    ["connection refused (plain Error with code)", Object.assign(new Error("connect"), { code: "ECONNREFUSED" }), "AwsUnavailable", true],
    ["connection reset", Object.assign(new Error("socket"), { code: "ECONNRESET" }), "AwsUnavailable", true],
    ["ContactNotTerminatedException", sdkError("ContactNotTerminatedException", 409), "ContactNotEnded", true],
    ["ResourceConflictException", sdkError("ResourceConflictException", 409), "AwsConflict", true],
    ["ResourceNotFoundException", sdkError("ResourceNotFoundException", 404), "AwsNotFound", false],
    ["ContactNotFoundException 410", sdkError("ContactNotFoundException", 410), "AwsNotFound", false],
    ["NoSuchKey", sdkError("NoSuchKey", 404), "AwsNotFound", false],
    ["AccessDeniedException", sdkError("AccessDeniedException", 403), "AwsAccessDenied", false],
    ["S3 AccessDenied", sdkError("AccessDenied", 403), "AwsAccessDenied", false],
    ["ValidationException", sdkError("ValidationException", 400), "AwsInvalidRequest", false],
    ["InvalidRequestException", sdkError("InvalidRequestException", 400), "AwsInvalidRequest", false],
  ];

  it.each(cases)("%s", (_label, thrown, code, retryable) => {
    const err = translateAwsError("DescribeContact", thrown);
    expect(err.code).toBe(code);
    expect(err.retryable).toBe(retryable);
    expect(err.details?.operation).toBe("DescribeContact");
    // The SDK message can echo request values: it is never copied.
    expect(err.message).not.toContain("7700");
  });
});
