/** S3 error codes and statuses (restXml `<Error>` bodies are rendered by `s3/routes.ts`). */
import { ServiceError } from "../wire.ts";

export const noSuchBucket = (bucket: string) => new ServiceError("NoSuchBucket", 404, "The specified bucket does not exist", { BucketName: bucket });
export const noSuchKey = (key: string) => new ServiceError("NoSuchKey", 404, "The specified key does not exist.", { Key: key });
export const noSuchVersion = (key: string, versionId: string) =>
  new ServiceError("NoSuchVersion", 404, "The specified version does not exist.", { Key: key, VersionId: versionId });
export const accessDenied = (m = "Access Denied") => new ServiceError("AccessDenied", 403, m);
export const methodNotAllowed = () => new ServiceError("MethodNotAllowed", 405, "The specified method is not allowed against this resource.");
export const malformedXml = () => new ServiceError("MalformedXML", 400, "The XML you provided was not well-formed or did not validate against our published schema");
export const invalidArgument = (m: string) => new ServiceError("InvalidArgument", 400, m);
export const invalidBucketState = (m: string) => new ServiceError("InvalidBucketState", 409, m);
export const invalidRequest = (m: string) => new ServiceError("InvalidRequest", 400, m);
export const bucketAlreadyOwnedByYou = () => new ServiceError("BucketAlreadyOwnedByYou", 409, "Your previous request to create the named bucket succeeded and you already own it.");
export const noSuchObjectLockConfiguration = () =>
  new ServiceError("ObjectLockConfigurationNotFoundError", 404, "Object Lock configuration does not exist for this bucket");
export const noReplicationConfiguration = () =>
  new ServiceError("ReplicationConfigurationNotFoundError", 404, "The replication configuration was not found");
export const noObjectLockOnObject = () =>
  new ServiceError("NoSuchObjectLockConfiguration", 404, "The specified object does not have a ObjectLock configuration");
export const slowDown = () => new ServiceError("SlowDown", 503, "Please reduce your request rate.");
export const internalError = (m = "We encountered an internal error. Please try again.") => new ServiceError("InternalError", 500, m);
export const notImplemented = () => new ServiceError("NotImplemented", 501, "A header you provided implies functionality that is not implemented");
