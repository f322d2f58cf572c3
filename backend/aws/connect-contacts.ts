/**
 * Contact reads the HTTP layer needs before a request exists: who handled the contact (ownership check)
 * and which chain it belongs to. Only ids leave this module; the customer endpoint is never returned.
 */
import { DescribeContactCommand, type ConnectClient } from "@aws-sdk/client-connect";
import { AppError } from "../errors.ts";
import { awsCall } from "./aws-errors.ts";

/** Ids of one contact, as DescribeContact reports them. */
export interface ContactRef {
  contactId: string;
  initialContactId: string;
  agentId?: string;
  channel?: string;
  ended: boolean;
}

/**
 * Describes one contact and keeps only its ids.
 * @throws AppError `ContactNotFound` when the instance has no such contact (or it is past retention), `Aws*` otherwise.
 */
export async function describeContact(connect: ConnectClient, instanceId: string, contactId: string): Promise<ContactRef> {
  try {
    const out = await awsCall("DescribeContact", () =>
      connect.send(new DescribeContactCommand({ InstanceId: instanceId, ContactId: contactId })),
    );
    const c = out.Contact;
    if (!c?.Id) throw new AppError("ContactNotFound", "No such contact in this instance");
    return {
      contactId: c.Id,
      initialContactId: c.InitialContactId ?? c.Id,
      ...(c.AgentInfo?.Id ? { agentId: c.AgentInfo.Id } : {}),
      ...(c.Channel ? { channel: c.Channel } : {}),
      ended: c.DisconnectTimestamp !== undefined,
    };
  } catch (thrown) {
    if (thrown instanceof AppError && thrown.code === "AwsNotFound") {
      throw new AppError("ContactNotFound", "No such contact in this instance", { cause: thrown });
    }
    throw thrown;
  }
}
