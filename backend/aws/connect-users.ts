/**
 * Connect user lookups for identity mapping: the IdP username is matched to a Connect user with an exact
 * `SearchUsers` (SAML instances require Connect usernames to equal IdP usernames), and security profiles
 * come from `DescribeUser` when roles are sourced from Connect.
 */
import { DescribeUserCommand, SearchUsersCommand, type ConnectClient } from "@aws-sdk/client-connect";
import { awsCall } from "./aws-errors.ts";

/** The part of a Connect user the backend relies on: ids only. */
export interface ConnectUserRef {
  id: string;
  securityProfileIds: readonly string[];
}

/**
 * Finds the Connect user whose username equals `username` exactly, or `undefined` when none does.
 * @throws AppError `Aws*` when the call fails.
 */
export async function findUserByUsername(
  connect: ConnectClient,
  instanceId: string,
  username: string,
): Promise<ConnectUserRef | undefined> {
  const out = await awsCall("SearchUsers", () =>
    connect.send(
      new SearchUsersCommand({
        InstanceId: instanceId,
        MaxResults: 2,
        SearchCriteria: { StringCondition: { FieldName: "Username", Value: username, ComparisonType: "EXACT" } },
      }),
    ),
  );
  const match = (out.Users ?? []).find((u) => u.Username === username && u.Id);
  if (!match?.Id) return undefined;
  return { id: match.Id, securityProfileIds: match.SecurityProfileIds ?? [] };
}

/**
 * Reads a user's security profile ids (for `ROLE_SOURCE=connect`).
 * @throws AppError `Aws*` when the call fails (`AwsNotFound` for an unknown user).
 */
export async function describeUserProfiles(connect: ConnectClient, instanceId: string, userId: string): Promise<readonly string[]> {
  const out = await awsCall("DescribeUser", () => connect.send(new DescribeUserCommand({ InstanceId: instanceId, UserId: userId })));
  return out.User?.SecurityProfileIds ?? [];
}
