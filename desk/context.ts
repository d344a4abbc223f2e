import type pg from 'pg';
import type { DeskOperationName, DeskOutput, DeskParsedInput, DeskPerson } from '../shared/desk.ts';
import type { AdapterFactory } from '../electron/cms/index.ts';
import type { SecretBox } from '../electron/services/secrets.ts';

/**
 * What every desk service function is handed. The desk keeps no state of its own
 * between calls: everything is in PostgreSQL, so any desk process can answer any call
 * and a killed one loses nothing.
 */
export type DeskContext = {
  pool: pg.Pool;
  now: () => number;
  /** This process, as it appears in publish_jobs.claimed_by (host:pid:random). */
  processId: string;
  /** Seals publish-target secrets (a key every desk process of one database shares). */
  secrets: SecretBox;
  adapterFactory: AdapterFactory;
  /** Wakes this process's publishing worker (other processes hear it through NOTIFY). */
  kickPublishing(): void;
  /** How long a sign-in lasts (default 30 days; `npm run desk -- --session-days`). */
  sessionDays?: number;
};

/** The person behind a call, as the desk has them now (role and revocation read fresh on every call). */
export type DeskCaller = { person: DeskPerson | null; sessionTokenHash: string | null; address: string };
export type SignedInCaller = DeskCaller & { person: DeskPerson; sessionTokenHash: string };

export type DeskHandler<K extends DeskOperationName> = (
  ctx: DeskContext,
  input: DeskParsedInput<K>,
  caller: DeskCaller,
) => Promise<DeskOutput<K>>;

export type DeskHandlers = { [K in DeskOperationName]: DeskHandler<K> };
