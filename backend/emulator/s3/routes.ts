/**
 * S3 path-style routing: `/{Bucket}` and `/{Bucket}/{Key+}`, with sub-resources matched on presence
 * (`?versions`, `?delete`, `?versioning`, `?object-lock`, `?retention`, `?legal-hold`). Keys are
 * percent-decoded once; `+` stays a plus.
 */
import type { ParsedRequest, ResolvedCall, ServiceAdapter } from "../router.ts";
import { decodePathSegment, type ServiceError } from "../wire.ts";
import * as h from "./handlers.ts";
import { notImplemented } from "./errors.ts";
import { toXml } from "./xml.ts";

type Run = ResolvedCall["run"];

function splitPath(rawPath: string): { bucket: string; key: string } {
  const trimmed = rawPath.startsWith("/") ? rawPath.slice(1) : rawPath;
  const slash = trimmed.indexOf("/");
  const rawBucket = slash < 0 ? trimmed : trimmed.slice(0, slash);
  const rawKey = slash < 0 ? "" : trimmed.slice(slash + 1);
  return { bucket: decodePathSegment(rawBucket), key: decodePathSegment(rawKey) };
}

function call(op: string, mutating: boolean, bucket: string, run: Run, cost = 1): ResolvedCall {
  return { op, mutating, quotaKey: bucket, cost, run, ids: { bucket } };
}

function resolveBucket(req: h.S3Request): ResolvedCall {
  const q = req.query;
  const b = req.bucket;
  switch (req.method) {
    case "GET":
      if (q.has("versions")) return call("ListObjectVersions", false, b, (ctx) => h.listObjectVersions(req, ctx));
      if (q.has("versioning")) return call("GetBucketVersioning", false, b, (ctx) => h.getBucketVersioning(req, ctx));
      if (q.has("object-lock")) return call("GetObjectLockConfiguration", false, b, (ctx) => h.getObjectLockConfiguration(req, ctx));
      if (q.has("replication")) return call("GetBucketReplication", false, b, (ctx) => h.getBucketReplication(req, ctx));
      if (q.get("list-type") === "2") return call("ListObjectsV2", false, b, (ctx) => h.listObjectsV2(req, ctx));
      break;
    case "HEAD":
      return call("HeadBucket", false, b, (ctx) => h.headBucket(req, ctx));
    case "PUT":
      if (q.has("versioning")) return call("PutBucketVersioning", true, b, (ctx) => h.putBucketVersioning(req, ctx));
      if ([...q.keys()].every((k) => k === "x-id")) return call("CreateBucket", true, b, (ctx) => h.createBucket(req, ctx));
      break;
    case "POST":
      if (q.has("delete")) {
        let parsed: ReturnType<typeof h.parseDeleteRequest> | ServiceError;
        try {
          parsed = h.parseDeleteRequest(req.body);
        } catch (err) {
          parsed = err as ServiceError;
        }
        const p = parsed;
        const cost = "objects" in p ? p.objects.length : 1;
        return call("DeleteObjects", true, b, (ctx) => {
          if (!("objects" in p)) throw p;
          return h.deleteObjects(req, ctx, p);
        }, cost);
      }
      break;
  }
  return unsupported(b);
}

function resolveObject(req: h.S3Request): ResolvedCall {
  const q = req.query;
  const b = req.bucket;
  switch (req.method) {
    case "GET":
      if (q.has("retention")) return call("GetObjectRetention", false, b, (ctx) => h.getObjectRetention(req, ctx));
      if (q.has("legal-hold")) return call("GetObjectLegalHold", false, b, (ctx) => h.getObjectLegalHold(req, ctx));
      if (q.has("uploads") || q.has("uploadId") || q.has("tagging") || q.has("acl")) break;
      return call("GetObject", false, b, (ctx) => h.getObject(req, ctx));
    case "HEAD":
      return call("HeadObject", false, b, (ctx) => h.headObject(req, ctx));
    case "PUT":
      if (q.has("retention")) return call("PutObjectRetention", true, b, (ctx) => h.putObjectRetention(req, ctx));
      if (q.has("legal-hold")) return call("PutObjectLegalHold", true, b, (ctx) => h.putObjectLegalHold(req, ctx));
      if (q.has("uploadId") || q.has("tagging") || q.has("acl") || req.headers["x-amz-copy-source"]) break;
      return call("PutObject", true, b, (ctx) => h.putObject(req, ctx));
    case "DELETE":
      if (q.has("uploadId") || q.has("tagging")) break;
      return call("DeleteObject", true, b, (ctx) => h.deleteObjectOp(req, ctx));
  }
  return unsupported(b);
}

function unsupported(bucket: string): ResolvedCall {
  return call("Unsupported", false, bucket, () => {
    throw notImplemented();
  });
}

/** The S3 adapter the server dispatches `s3`-scoped requests to. */
export const s3Adapter: ServiceAdapter = {
  resolve(parsed: ParsedRequest): ResolvedCall {
    const { bucket, key } = splitPath(parsed.rawPath);
    const req: h.S3Request = { method: parsed.method, bucket, key, query: parsed.query, headers: parsed.headers, body: parsed.body, requestId: parsed.requestId };
    if (bucket === "") return unsupported("");
    return key === "" ? resolveBucket(req) : resolveObject(req);
  },
  renderError(err: ServiceError, req: ParsedRequest) {
    const headers = { "x-amz-request-id": req.requestId, "x-amz-id-2": req.requestId, ...err.headers };
    if (req.method === "HEAD") return { status: err.status, headers, body: "" };
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${toXml({
      Code: err.code,
      Message: err.message,
      ...(err.extra as Record<string, string>),
      RequestId: req.requestId,
      HostId: req.requestId,
    })}</Error>`;
    return { status: err.status, headers: { ...headers, "content-type": "application/xml" }, body };
  },
};
