/**
 * The demo scenario used by `npm start` / `npm run emulator` and the e2e tests: one instance, the four demo
 * users, a versioned recordings bucket and a few ended contacts with recordings, attributes and profiles.
 * All caller data is obviously fake (drama-range numbers, `example.invalid`, FAKE markers).
 */
import { ScenarioBuilder, type Scenario } from "./scenario.ts";

export const DEMO_INSTANCE_ID = "11111111-2222-3333-4444-555555555555";
export const DEMO_REGION = "eu-west-2";
export const DEMO_DOMAIN = "demo-domain";
export const DEMO_BUCKET = "demo-connect-recordings";

export const DEMO_USER_IDS = {
  "agent.alice": "a11ce000-0000-4000-8000-000000000001",
  "agent.bob": "b0b00000-0000-4000-8000-000000000002",
  "supervisor.sam": "5a300000-0000-4000-8000-000000000003",
  "supervisor.sue": "5e000000-0000-4000-8000-000000000004",
} as const;

export const DEMO_SECURITY_PROFILE_IDS = {
  agent: "5ec00000-0000-4000-8000-00000000a9e1",
  manager: "5ec00000-0000-4000-8000-00000000a9e2",
} as const;

/** Stable ids of the demo's historical contacts (first leg = initial contact id). */
export const DEMO_CONTACT_IDS = {
  aliceCall: "c0000000-0000-4000-8000-000000000001",
  transferFirstLeg: "c0000000-0000-4000-8000-000000000002",
  transferSecondLeg: "c0000000-0000-4000-8000-000000000003",
  bobChat: "c0000000-0000-4000-8000-000000000004",
  midnightCall: "c0000000-0000-4000-8000-000000000005",
} as const;

export interface DemoScenario extends Scenario {
  instanceId: string;
  domainName: string;
  recordingsBucket: string;
}

/** Builds the demo scenario (fresh object each call). */
export function demoScenario(): DemoScenario {
  const b = new ScenarioBuilder({ id: DEMO_INSTANCE_ID, alias: "demo", region: DEMO_REGION })
    .bucket(DEMO_BUCKET, { versioning: "Enabled" })
    .storage("CALL_RECORDINGS", DEMO_BUCKET)
    .storage("CHAT_TRANSCRIPTS", DEMO_BUCKET)
    .storage("SCREEN_RECORDINGS", DEMO_BUCKET)
    .securityProfile({ Id: DEMO_SECURITY_PROFILE_IDS.agent, Name: "Agent", Permissions: ["BasicAgentAccess", "OutboundCallAccess"] })
    .securityProfile({
      Id: DEMO_SECURITY_PROFILE_IDS.manager,
      Name: "CallCenterManager",
      Permissions: ["BasicAgentAccess", "ContactSearch.View", "ListenCallRecordings", "DeleteCallRecordings", "RedactedData.View", "ManagerListenIn"],
    })
    .profilesDomain(DEMO_DOMAIN, "CTR");
  for (const [username, id] of Object.entries(DEMO_USER_IDS)) {
    const supervisor = username.startsWith("supervisor.");
    const [first, last] = username.split(".") as [string, string];
    b.user({
      Id: id,
      Username: username,
      SecurityProfileIds: [supervisor ? DEMO_SECURITY_PROFILE_IDS.manager : DEMO_SECURITY_PROFILE_IDS.agent],
      IdentityInfo: { FirstName: last.charAt(0).toUpperCase() + last.slice(1), LastName: first === "agent" ? "Agent" : "Supervisor" },
    });
  }
  b.profile(DEMO_DOMAIN, { FirstName: "FAKE-Jane", LastName: "FAKE-Example", PhoneNumber: "+447700900001", Keys: { _phone: ["+447700900001"] } });
  b.addVoiceContact({
    agent: "agent.alice",
    ids: [DEMO_CONTACT_IDS.aliceCall],
    start: "2026-11-30T09:15:00Z",
    customerAddress: "+447700900001",
    attributes: { customerName: "FAKE-Jane Example", accountNumber: "FAKE-0000-1111", reason: "billing" },
    ivr: true,
  });
  b.addVoiceContact({
    agent: "agent.alice",
    transferTo: ["agent.bob"],
    ids: [DEMO_CONTACT_IDS.transferFirstLeg, DEMO_CONTACT_IDS.transferSecondLeg],
    start: "2026-12-01T14:02:00Z",
    customerAddress: "+447700900002",
    attributes: { customerName: "FAKE-John Sample", postcode: "FAKE-ZZ99 9ZZ" },
  });
  b.addChatContact({
    agent: "agent.bob",
    ids: [DEMO_CONTACT_IDS.bobChat],
    start: "2026-12-02T11:30:00Z",
    customerAddress: "FAKE-chat-participant",
    attributes: { customerEmail: "fake.person@example.invalid" },
  });
  b.addVoiceContact({
    agent: "agent.bob",
    ids: [DEMO_CONTACT_IDS.midnightCall],
    start: "2026-12-02T23:55:00Z",
    legMinutes: 12,
    customerAddress: "+447700900003",
    attributes: { customerName: "FAKE-Midnight Caller" },
  });
  return { ...b.build(), instanceId: DEMO_INSTANCE_ID, domainName: DEMO_DOMAIN, recordingsBucket: DEMO_BUCKET };
}
