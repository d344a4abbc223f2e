import type { Db } from '../../db/connection.ts';
import type { EventName, EventPayload } from '../../shared/contract.ts';
import type { Person } from '../../shared/people.ts';
import type { AdapterFactory } from '../cms/index.ts';
import type { SecretBox } from './secrets.ts';
import type { Link } from './desk/link.ts';

/** What every service function is handed: the store, a clock, and a way to tell windows. */
export type ServiceContext = {
  db: Db;
  dataDir: string;
  now: () => number;
  emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
  /** Called after a document's working copy changed (autosave policy listens). */
  afterWorkingChange: (documentId: string) => void;
  /** Seals and opens CMS secrets (safeStorage in Electron, a key file otherwise). */
  secrets: SecretBox;
  /** Makes the CMS adapter for a target (tests shorten timeouts here). */
  adapterFactory: AdapterFactory;
  /** Tells the outbox worker there may be work. */
  outbox: { kick(): void };
  /**
   * The link to the newsroom desk (issue #17), when the back end runs one; absent in
   * contexts made for benchmarks. `ctx.desk?.linked()` is "a desk is configured".
   */
  desk?: Link;
};

/** Who is calling: set by the dispatcher after the role check. */
export type Caller = { person: Person | null };

export type SignedIn = { person: Person };
