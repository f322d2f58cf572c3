/**
 * Amazon Connect state: instances (storage configs, users, security profiles), contacts and the attribute maps
 * shared per InitialContactId. Field names follow the API so state dumps read like DescribeContact; times are
 * ISO strings in state and become epoch seconds on the wire.
 */

export type Channel = "VOICE" | "CHAT" | "TASK" | "EMAIL";

export interface StorageConfigRecord {
  AssociationId: string;
  ResourceType: string;
  StorageType: "S3";
  S3Config: { BucketName: string; BucketPrefix: string; EncryptionConfig?: { EncryptionType: "KMS"; KeyId: string } };
}

export interface UserRecord {
  Id: string;
  Username: string;
  SecurityProfileIds: string[];
  RoutingProfileId: string;
  HierarchyGroupId?: string;
  IdentityInfo?: { FirstName?: string; LastName?: string; Email?: string };
}

export interface SecurityProfileRecord {
  Id: string;
  Name: string;
  Description?: string;
  Permissions: string[];
}

export interface InstanceRecord {
  Id: string;
  Alias: string;
  /** Where Contact Lens writes `Analysis/` inside a bucket: "" (bucket root) or e.g. `connect/<alias>/`. */
  AnalysisPrefix?: string;
  storageConfigs: StorageConfigRecord[];
  users: UserRecord[];
  securityProfiles: SecurityProfileRecord[];
}

export interface RecordingRecord {
  StorageType: "S3";
  Location: string;
  MediaStreamType: "AUDIO" | "VIDEO";
  ParticipantType: "ALL" | "AGENT" | "CUSTOMER" | "IVR";
  StartTimestamp: string;
  StopTimestamp: string;
  Status: "AVAILABLE" | "DELETED";
  DeletionReason?: string;
}

export interface ReferenceRecord {
  Type: string;
  Value?: string;
  Status?: string;
  Arn?: string;
}

export interface EndpointRecord {
  Type: string;
  Address: string;
  DisplayName?: string;
}

export interface ContactRecord {
  Id: string;
  InstanceId: string;
  InitialContactId: string;
  PreviousContactId?: string;
  NextContactId?: string;
  RelatedContactId?: string;
  ContactAssociationId?: string;
  Channel: Channel;
  InitiationMethod: string;
  InitiationTimestamp: string;
  DisconnectTimestamp?: string;
  LastUpdateTimestamp: string;
  AgentInfo?: { Id: string; ConnectedToAgentTimestamp?: string };
  QueueInfo?: { Id: string; EnqueueTimestamp?: string };
  CustomerEndpoint?: EndpointRecord;
  SystemEndpoint?: EndpointRecord;
  AdditionalEmailRecipients?: { ToList?: { Address: string; DisplayName?: string }[]; CcList?: { Address: string; DisplayName?: string }[] };
  EmailSubject?: string;
  Name?: string;
  Description?: string;
  Recordings: RecordingRecord[];
  References: Record<string, ReferenceRecord>;
  /** Which CTR-derived fields DeleteContactData removed (reported in state for verifiers). */
  RedactedFields?: string[];
}

export interface ConnectState {
  instances: Map<string, InstanceRecord>;
  contacts: Map<string, ContactRecord>;
  /** Attributes keyed by InitialContactId: every leg of a chain shares one map. */
  attributes: Map<string, Record<string, string>>;
}

/** A Connect state with nothing in it. */
export function emptyConnectState(): ConnectState {
  return { instances: new Map(), contacts: new Map(), attributes: new Map() };
}

/** Every leg of the chain that `initialContactId` starts, in initiation order. */
export function chainOf(state: ConnectState, initialContactId: string): ContactRecord[] {
  const legs: ContactRecord[] = [];
  for (const c of state.contacts.values()) if (c.InitialContactId === initialContactId) legs.push(c);
  return legs.sort((a, b) => a.InitiationTimestamp.localeCompare(b.InitiationTimestamp) || a.Id.localeCompare(b.Id));
}

/** The contact ARN Connect reports. */
export function contactArn(region: string, accountId: string, instanceId: string, contactId: string): string {
  return `${instanceArn(region, accountId, instanceId)}/contact/${contactId}`;
}

/** The instance ARN (also the Customer Profiles integration URI). */
export function instanceArn(region: string, accountId: string, instanceId: string): string {
  return `arn:aws:connect:${region}:${accountId}:instance/${instanceId}`;
}
