/**
 * Writes the S3 files Connect produces for a contact, at the key patterns of aws-facts §9: call and IVR
 * recordings, chat transcripts, email message files and Contact Lens output (plain and redacted). Bodies hold
 * an obviously fake caller marker so residue checks can search for it.
 */
import type { EmulatorState } from "./state.ts";
import type { ContactRecord, InstanceRecord, RecordingRecord } from "./connect/store.ts";
import { putObjectVersion } from "./s3/store.ts";

export interface WrittenArtifact {
  kind: ArtifactKind;
  bucket: string;
  key: string;
  versionId: string;
}

export type ArtifactKind =
  | "call-recording"
  | "ivr-recording"
  | "chat-transcript"
  | "email-message"
  | "email-plain-text"
  | "analysis"
  | "analysis-redacted"
  | "recording-redacted";

export interface ArtifactOptions {
  /** When the recording was made (its date folder); defaults to the agent connect time. */
  recordedAt?: Date;
  ivr?: boolean;
  contactLens?: boolean;
  /** When the files land in S3 (their LastModified); defaults to the disconnect time. */
  writtenAt?: Date;
}

/** Marker text planted in every artifact body; it stands in for a caller's personal data. */
function callerMarker(contactId: string): string {
  return `FAKE-CALLER-DATA-${contactId}`;
}

const pad = (n: number) => String(n).padStart(2, "0");
const ymdPath = (d: Date) => `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
const compactStamp = (d: Date) => `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}_UTC`;
const isoSecondStamp = (d: Date) => `${d.toISOString().slice(0, 19)}Z`;

/** Key of an agent call recording: `<prefix>/YYYY/MM/DD/<id>_<YYYYMMDD>T<HH:MM>_UTC.wav`. */
function callRecordingKey(prefix: string, contactId: string, at: Date, ivr = false): string {
  return `${prefix}/${ivr ? "ivr/" : ""}${ymdPath(at)}/${contactId}_${compactStamp(at)}.wav`;
}

/** Key of a chat transcript: `<prefix>/YYYY/MM/DD/<id>_<YYYYMMDD>T<HH:MM>_UTC.json`. */
function chatTranscriptKey(prefix: string, contactId: string, at: Date): string {
  return `${prefix}/${ymdPath(at)}/${contactId}_${compactStamp(at)}.json`;
}

/** Keys of Contact Lens output for a voice or chat contact (folder date follows the agent connect day). */
function analysisKeys(base: string, kind: "Voice" | "Chat", contactId: string, folderDay: Date, at: Date): { plain: string; redacted: string; redactedAudio: string } {
  const day = ymdPath(folderDay);
  const ts = isoSecondStamp(at);
  return {
    plain: `${base}Analysis/${kind}/${day}/${contactId}_analysis_${ts}.json`,
    redacted: `${base}Analysis/${kind}/Redacted/${day}/${contactId}_analysis_redacted_${ts}.json`,
    redactedAudio: `${base}Analysis/${kind}/Redacted/${day}/${contactId}_call_recording_redacted_${ts}.wav`,
  };
}

function storage(instance: InstanceRecord, resourceType: string): { bucket: string; prefix: string } | undefined {
  const cfg = instance.storageConfigs.find((s) => s.ResourceType === resourceType);
  return cfg ? { bucket: cfg.S3Config.BucketName, prefix: cfg.S3Config.BucketPrefix.replace(/\/+$/, "") } : undefined;
}

function wavBody(contactId: string): Buffer {
  return Buffer.concat([Buffer.from("RIFF\0\0\0\0WAVEfmt "), Buffer.from(` ${callerMarker(contactId)} `)]);
}

function jsonBody(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value, null, 1));
}

class Writer {
  readonly written: WrittenArtifact[] = [];
  constructor(
    private readonly state: EmulatorState,
    private readonly at: Date,
  ) {}

  put(kind: ArtifactKind, bucketName: string, key: string, body: Buffer, contentType: string): WrittenArtifact | undefined {
    const bucket = this.state.s3.buckets.get(bucketName);
    if (!bucket) return undefined;
    const v = putObjectVersion(bucket, key, body, this.at, { contentType });
    const artifact = { kind, bucket: bucketName, key, versionId: v.VersionId };
    this.written.push(artifact);
    return artifact;
  }
}

function recordingInfo(location: string, participant: RecordingRecord["ParticipantType"], start: Date, stop: Date): RecordingRecord {
  return {
    StorageType: "S3",
    Location: location,
    MediaStreamType: "AUDIO",
    ParticipantType: participant,
    StartTimestamp: start.toISOString(),
    StopTimestamp: stop.toISOString(),
    Status: "AVAILABLE",
  };
}

/** A re-upload to the same key is a new S3 version, not a second recording of the contact. */
function addRecording(contact: ContactRecord, info: RecordingRecord): void {
  if (!contact.Recordings.some((r) => r.Location === info.Location)) contact.Recordings.push(info);
}

/** Where an instance puts Contact Lens output in a bucket (bucket root unless the instance says otherwise). */
function analysisBase(instance: InstanceRecord): string {
  const p = instance.AnalysisPrefix ?? "";
  return p === "" || p.endsWith("/") ? p : `${p}/`;
}

/**
 * Writes every artifact of an ended contact per its channel and records call recordings on the contact
 * (`Recordings[].Location` is `bucket/key`). Missing storage configs or buckets are skipped silently, like
 * an instance without recording enabled.
 */
export function writeContactArtifacts(state: EmulatorState, contact: ContactRecord, opts: ArtifactOptions = {}): WrittenArtifact[] {
  const instance = state.connect.instances.get(contact.InstanceId);
  if (!instance || !contact.DisconnectTimestamp) return [];
  const end = new Date(contact.DisconnectTimestamp);
  const connected = new Date(contact.AgentInfo?.ConnectedToAgentTimestamp ?? contact.InitiationTimestamp);
  const recordedAt = opts.recordedAt ?? connected;
  const w = new Writer(state, opts.writtenAt ?? end);
  const lens = opts.contactLens ?? true;
  const base = analysisBase(instance);
  const analysisJson = (redacted: boolean) =>
    jsonBody({
      Version: "1.1.0",
      AccountId: state.accountId,
      Channel: contact.Channel,
      ContentMetadata: { Output: redacted ? "Redacted" : "Raw" },
      CustomerMetadata: { ContactId: contact.Id, InstanceId: contact.InstanceId },
      Transcript: [{ ParticipantId: "CUSTOMER", Content: redacted ? "[PII]" : `${callerMarker(contact.Id)} says hello` }],
      ConversationCharacteristics: { ContactSummary: { PostContactSummary: { Content: redacted ? "[PII]" : callerMarker(contact.Id) } } },
    });

  if (contact.Channel === "VOICE") {
    const rec = storage(instance, "CALL_RECORDINGS");
    if (rec) {
      if (opts.ivr) {
        const a = w.put("ivr-recording", rec.bucket, callRecordingKey(rec.prefix, contact.Id, new Date(contact.InitiationTimestamp), true), wavBody(contact.Id), "audio/wav");
        if (a) addRecording(contact, recordingInfo(`${a.bucket}/${a.key}`, "IVR", new Date(contact.InitiationTimestamp), connected));
      }
      const a = w.put("call-recording", rec.bucket, callRecordingKey(rec.prefix, contact.Id, recordedAt), wavBody(contact.Id), "audio/wav");
      if (a) addRecording(contact, recordingInfo(`${a.bucket}/${a.key}`, "ALL", recordedAt, end));
      if (lens) {
        const keys = analysisKeys(base, "Voice", contact.Id, connected, end);
        w.put("analysis", rec.bucket, keys.plain, analysisJson(false), "application/json");
        w.put("analysis-redacted", rec.bucket, keys.redacted, analysisJson(true), "application/json");
        w.put("recording-redacted", rec.bucket, keys.redactedAudio, wavBody(contact.Id), "audio/wav");
      }
    }
  } else if (contact.Channel === "CHAT") {
    const chat = storage(instance, "CHAT_TRANSCRIPTS");
    if (chat) {
      const transcript = jsonBody({
        Version: "2019-08-26",
        ContactId: contact.Id,
        InitialContactId: contact.InitialContactId,
        Participants: [{ ParticipantId: "CUSTOMER" }, { ParticipantId: "AGENT" }],
        Transcript: [{ ParticipantId: "CUSTOMER", ContentType: "text/plain", Content: `${callerMarker(contact.Id)} chat message` }],
      });
      w.put("chat-transcript", chat.bucket, chatTranscriptKey(chat.prefix, contact.Id, recordedAt), transcript, "application/json");
      if (lens) {
        const keys = analysisKeys(base, "Chat", contact.Id, connected, end);
        w.put("analysis", chat.bucket, keys.plain, analysisJson(false), "application/json");
        w.put("analysis-redacted", chat.bucket, keys.redacted, analysisJson(true), "application/json");
      }
    }
  } else if (contact.Channel === "EMAIL") {
    const configured = storage(instance, "EMAIL_MESSAGES");
    const beside = storage(instance, "CALL_RECORDINGS");
    const mail = configured ?? (beside ? { bucket: beside.bucket, prefix: `connect/${instance.Alias}/EmailMessages` } : undefined);
    if (mail) {
      const folder = `${mail.prefix}/${ymdPath(connected)}/${contact.Id}`;
      w.put("email-message", mail.bucket, `${folder}_message.json`, jsonBody({ Subject: callerMarker(contact.Id), Body: callerMarker(contact.Id) }), "application/json");
      w.put("email-plain-text", mail.bucket, `${folder}_plain_text.json`, jsonBody({ Body: callerMarker(contact.Id) }), "application/json");
      if (lens) {
        const day = ymdPath(connected);
        w.put("analysis", mail.bucket, `${base}Analysis/Email/${day}/${contact.Id}_analysis_${compactStamp(end)}.json`, analysisJson(false), "application/json");
        const redactedKey = `${base}Analysis/Email/Redacted/${day}/${contact.Id}_analysis_redacted_${compactStamp(end)}.json`;
        w.put("analysis-redacted", mail.bucket, redactedKey, analysisJson(true), "application/json");
      }
    }
  }
  return w.written;
}
