/** Amazon Connect error codes and statuses (aws-facts §3); restJson1 rendering is in `router.ts`. */
import { ServiceError } from "../wire.ts";

export const invalidParameter = (m: string) => new ServiceError("InvalidParameterException", 400, m);
export const invalidRequest = (m: string) => new ServiceError("InvalidRequestException", 400, m);
export const resourceNotFound = (m: string) => new ServiceError("ResourceNotFoundException", 404, m);
export const contactNotTerminated = (m: string) => new ServiceError("ContactNotTerminatedException", 409, m);
export const throttling = () => new ServiceError("ThrottlingException", 429, "Rate exceeded");
export const internalService = (m = "Internal service error") => new ServiceError("InternalServiceException", 500, m);
