import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../backend/config.ts";
import { createDemoIssuer } from "../../../backend/identity/demo-issuer.ts";
import { createTokenVerifier, localKeys } from "../../../backend/identity/token-verifier.ts";
import { AppError } from "../../../backend/errors.ts";
import { forgeTokens } from "../../support/app.ts";
import { bearerToken } from "../../../backend/identity/authenticator.ts";

const config = parseConfig({ PORT: "8080" });
const issuer = createDemoIssuer(config);
const verifier = createTokenVerifier({ issuer: issuer.issuer, audience: issuer.audience, algorithms: ["ES256"], keys: localKeys(issuer.jwks), roleClaim: "groups" });
const now = new Date("2026-12-04T12:00:00Z");

async function refusal(authorization: string | undefined): Promise<AppError> {
  try {
    await verifier.verify(bearerToken(authorization), now);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("token was accepted");
}

describe("token verifier", () => {
  it("When a demo user's token is verified, then subject, username and groups come back", async () => {
    const token = await issuer.mint("supervisor.sam", now);
    await expect(verifier.verify(token, now)).resolves.toEqual({
      subject: "demo|supervisor.sam",
      username: "supervisor.sam",
      groups: ["erasure-supervisors"],
      expiresAt: new Date(now.getTime() + 3600_000),
    });
  });

  it("When a token expired 30 s ago, then the 60 s tolerance still accepts it", async () => {
    const token = await issuer.mint("agent.alice", new Date(now.getTime() - 3630_000));
    await expect(verifier.verify(token, now)).resolves.toMatchObject({ username: "agent.alice" });
  });

  it("When an unknown username asks the demo issuer, then it refuses", async () => {
    await expect(issuer.mint("mallory", now)).rejects.toMatchObject({ code: "BadRequest" });
  });

  it("When any of the forged tokens is presented, then each is refused with 401 and its own clear message", async () => {
    const forged = await forgeTokens(issuer, now);
    expect(forged.length).toBeGreaterThanOrEqual(40);
    const wrong: string[] = [];
    for (const f of forged) {
      const err = await refusal(f.authorization);
      if (err.httpStatus !== 401 || !err.message.includes(f.message)) wrong.push(`${f.kind}: ${err.httpStatus} ${err.message}`);
    }
    expect(wrong).toEqual([]);
  });

  it("When the configured algorithms are only none and HS256, then building the verifier fails", () => {
    expect(() => createTokenVerifier({ issuer: "x", audience: "y", algorithms: ["none", "HS256"], keys: localKeys(issuer.jwks), roleClaim: "groups" })).toThrow(/algorithm/);
  });
});
