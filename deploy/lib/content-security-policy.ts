/**
 * The Content-Security-Policy CloudFront adds to every response of the app. `frame-ancestors` is the only guard
 * against a hostile page framing the app and feeding it a fake contact (workspace-sdk.md §4), so it lists the
 * instance's origins exactly; the IdP origin is allowed for the popup sign-in's token and discovery calls.
 */
export interface CspInput {
  frameAncestors: readonly string[];
  oidcIssuer: string;
  /** Further IdP origins the browser calls, e.g. a Cognito hosted-UI domain whose token endpoint differs from the issuer. */
  idpOrigins?: readonly string[];
}

/** Builds the policy string; throws on a wildcard-only ancestor so a typo cannot open framing to everyone. */
export function buildAppCsp(input: CspInput): string {
  if (input.frameAncestors.length === 0 || input.frameAncestors.some((o) => o === "*" || o.includes("'"))) {
    throw new Error("frame-ancestors must list explicit origins");
  }
  const idp = [...new Set([new URL(input.oidcIssuer).origin, ...(input.idpOrigins ?? [])])].join(" ");
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Cloudscape positions popovers and dropdowns with inline style attributes.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self' ${idp}`,
    `form-action 'self' ${idp}`,
    "object-src 'none'",
    "base-uri 'none'",
    `frame-ancestors ${input.frameAncestors.join(" ")}`,
  ].join("; ");
}
