/**
 * Side-effect journal: one entry per mutating call (and per internal effect such as CTR ingestion), with ids
 * and outcome only — never attribute values, endpoints or object bodies — so tests can assert exactly which
 * effects happened, including effects whose response the client never saw.
 */

export interface JournalEntry {
  seq: number;
  at: string;
  service: "connect" | "profile" | "s3" | "control";
  operation: string;
  ids: Record<string, unknown>;
  /** "ok", "error", "throttled", "fault" (injected error, effect not applied) or "skipped". */
  outcome: "ok" | "error" | "throttled" | "fault" | "skipped";
  status?: number;
  errorCode?: string;
  /** The effect was applied but the connection was dropped before the reply (timeout after commit). */
  dropped?: boolean;
}

export type JournalInput = Omit<JournalEntry, "seq" | "at">;

/** Bounded so a long benchmark cannot grow memory without limit; the oldest entries go first. */
const MAX_ENTRIES = 200_000;

/** The append-only journal of one emulator (cleared by reset and scenario loads). */
export class Journal {
  private entries: JournalEntry[] = [];
  private seq = 0;
  private readonly now: () => Date;

  constructor(now: () => Date) {
    this.now = now;
  }

  /** Appends an entry and returns it so the caller can amend the outcome of a dropped reply. */
  record(input: JournalInput): JournalEntry {
    const entry: JournalEntry = { seq: ++this.seq, at: this.now().toISOString(), ...input };
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
    return entry;
  }

  /** A copy of every entry, oldest first. */
  list(): JournalEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }

  clear(): void {
    this.entries = [];
  }
}
