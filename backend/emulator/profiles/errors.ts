/** Customer Profiles error codes and statuses (aws-facts §6); all carry `Message`. */
import { ServiceError } from "../wire.ts";

export const badRequest = (m: string) => new ServiceError("BadRequestException", 400, m);
export const resourceNotFound = (m: string) => new ServiceError("ResourceNotFoundException", 404, m);
export const throttling = () => new ServiceError("ThrottlingException", 429, "Rate exceeded");
export const internalServer = (m = "Internal server error") => new ServiceError("InternalServerException", 500, m);
