import { hostname } from 'node:os';
import { clearRefused, deleteSetting, upsertPerson, waitingCount } from '../../../db/desk.ts';
import { getPerson } from '../../../db/people.ts';
import { getSetting, setSetting } from '../../../db/settings.ts';
import type { DeskLink } from '../../../shared/contract.ts';
import { DESK_PROTOCOL, DeskPerson, type DeskEvent, type DeskInput, type DeskOperationName, type DeskOutput, type DeskState, type SessionGrant } from '../../../shared/desk.ts';
import { GalleyError } from '../../../shared/errors.ts';
import type { ServiceContext } from '../context.ts';
import { deskHttp, type DeskClient, type DeskEvents } from './client.ts';
import { runOutbox } from './outbox.ts';
import { pendingRevisionCount, pullChanges, pushRevisions } from './sync.ts';
import type { DeskCaller } from './types.ts';

/** Where the link keeps itself in the local settings table. The token is sealed (ctx.secrets). */
export const DESK_SETTINGS = {
  address: 'desk.address',
  deskName: 'desk.deskName',
  needsSetup: 'desk.needsSetup',
  token: 'desk.token',
  person: 'desk.person',
  /** The last change sequence applied (the sync engine reads and moves it). */
  cursor: 'desk.cursor',
  /** Set when the desk said this person was revoked: desk documents are read-only here. */
  revoked: 'desk.revoked',
  /** Why the session ended, kept across restarts so Settings still says it. */
  lastError: 'desk.lastError',
} as const;

const CURRENT_PERSON = 'session.currentPersonId';

export type DeskLinkOptions = {
  /** How to reach a desk (tests hand an in-process desk here); default HTTP + WebSocket. */
  connect?: (address: string, token: () => string | null) => DeskCaller & Partial<Pick<DeskClient, 'events'>>;
  /** Reconnect backoff: first wait, doubling up to the longest (default 1 s → 30 s). */
  retryFirstMs?: number;
  retryMostMs?: number;
  /** The slow periodic sync, in case an event was missed (default 30 s). */
  periodicMs?: number;
};

export const EXPIRED = 'Your desk session expired; sign in again to send your work.';

/** The words for a session the desk ended, from its own message. */
function endedBecause(message: string): { lastError: string; revoked: boolean } {
  if (/revoked/i.test(message)) {
    return { lastError: `${message.replace(/\s*$/, '')} The newsroom's documents are read-only on this workstation.`, revoked: true };
  }
  if (/expired/i.test(message)) return { lastError: EXPIRED, revoked: false };
  return { lastError: `${message.replace(/\s*$/, '')} Your work stays here and waits to be sent.`, revoked: false };
}

/**
 * The workstation's link to the newsroom desk (issue #17): a lifecycle in ctx.desk.
 * 'alone' with no desk address; otherwise 'connected', 'offline' (the desk cannot be
 * reached: retried with backoff, work waits in the outbox) or 'signed-out' (no live
 * session: never signed in, signed out, expired or revoked, lastError says which).
 * Every change is announced with 'desk.changed'. While connected, each desk event, each
 * local action and a slow timer run a sync pass: push new revisions, send the outbox,
 * pull what changed.
 */
export class Link {
  private state: DeskState;
  private lastError: string | null;
  private lastSyncAt: number | null = null;
  private client: (DeskCaller & Partial<Pick<DeskClient, 'events'>>) | null = null;
  private socket: DeskEvents | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryMs: number;
  private periodic: NodeJS.Timeout | null = null;
  private passing: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private tokenCache: string | null | undefined = undefined;
  private readonly connectTo: NonNullable<DeskLinkOptions['connect']>;
  private readonly retryFirstMs: number;
  private readonly retryMostMs: number;
  private readonly periodicMs: number;

  constructor(
    private readonly ctx: ServiceContext,
    options: DeskLinkOptions = {},
  ) {
    this.connectTo = options.connect ?? ((address, token) => deskHttp(address, token));
    this.retryFirstMs = options.retryFirstMs ?? 1_000;
    this.retryMostMs = options.retryMostMs ?? 30_000;
    this.periodicMs = options.periodicMs ?? 30_000;
    this.retryMs = this.retryFirstMs;
    this.state = !this.address() ? 'alone' : this.token() ? 'offline' : 'signed-out';
    this.lastError = this.state === 'signed-out' ? (getSetting(ctx.db, DESK_SETTINGS.lastError) ?? null) : null;
  }

  // ---- what the link knows -------------------------------------------------------

  address(): string | null {
    return getSetting(this.ctx.db, DESK_SETTINGS.address) ?? null;
  }

  /** A desk is configured: the desk is the authority, Switch user is off. */
  linked(): boolean {
    return this.address() !== null;
  }

  connected(): boolean {
    return this.state === 'connected';
  }

  /** The person signed in to the desk (null when signed out). */
  person(): DeskPerson | null {
    if (!this.token()) return null;
    const raw = getSetting(this.ctx.db, DESK_SETTINGS.person);
    const parsed = raw ? DeskPerson.safeParse(JSON.parse(raw)) : null;
    if (!parsed?.success) return null;
    // The sync engine mirrors 'person' changes into the local people table: a role the
    // desk changed shows here from the next pull, before the next auth.me.
    const local = getPerson(this.ctx.db, parsed.data.id);
    return local ? { ...parsed.data, name: local.name, role: local.role } : parsed.data;
  }

  revoked(): boolean {
    return getSetting(this.ctx.db, DESK_SETTINGS.revoked) === '1';
  }

  /** Local actions on the newsroom's documents are refused once the desk revoked this person. */
  assertMayWrite(): void {
    if (this.linked() && this.revoked()) {
      throw new GalleyError('forbidden', 'The desk revoked your access, so the newsroom’s documents are read-only on this workstation; your text is kept in the window. Ask an administrator.');
    }
  }

  waiting(): number {
    return waitingCount(this.ctx.db) + pendingRevisionCount(this.ctx);
  }

  status(): DeskLink {
    const address = this.address();
    return {
      state: address ? this.state : 'alone',
      address,
      deskName: address ? (getSetting(this.ctx.db, DESK_SETTINGS.deskName) ?? null) : null,
      needsSetup: address ? getSetting(this.ctx.db, DESK_SETTINGS.needsSetup) === '1' : false,
      person: this.person(),
      waiting: address ? this.waiting() : 0,
      lastError: address ? this.lastError : null,
      lastSyncAt: this.lastSyncAt,
    };
  }

  private token(): string | null {
    if (this.tokenCache !== undefined) return this.tokenCache;
    const sealed = getSetting(this.ctx.db, DESK_SETTINGS.token);
    try {
      this.tokenCache = sealed ? this.ctx.secrets.open(Buffer.from(sealed, 'base64')) : null;
    } catch {
      // A key that changed (another machine's copy of the folder): sign in again.
      this.tokenCache = null;
    }
    return this.tokenCache;
  }

  private storeToken(token: string | null): void {
    if (token) setSetting(this.ctx.db, DESK_SETTINGS.token, this.ctx.secrets.seal(token).toString('base64'));
    else deleteSetting(this.ctx.db, DESK_SETTINGS.token);
    this.tokenCache = token;
  }

  private changed(): void {
    if (!this.stopped && this.ctx.db.open) this.ctx.emit('desk.changed', {});
  }

  private setState(state: DeskState, lastError: string | null): void {
    if (this.state === state && this.lastError === lastError) return;
    this.state = state;
    this.lastError = lastError;
    this.changed();
  }

  // ---- lifecycle -----------------------------------------------------------------

  /** At back-end start: reconnect if a session is stored, and keep a slow periodic pass. */
  start(): void {
    this.stopped = false;
    if (this.address() && this.token()) void this.reconnect();
    this.periodic = setInterval(() => {
      if (this.state === 'connected') this.kick();
    }, this.periodicMs);
    this.periodic.unref();
  }

  /** Stops timers and the event socket, and waits for a pass in flight (before the database closes). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.periodic) clearInterval(this.periodic);
    this.periodic = null;
    if (this.soonTimer) clearTimeout(this.soonTimer);
    this.soonTimer = null;
    this.clearRetry();
    this.closeEvents();
    await this.passing?.catch(() => undefined);
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retryTimer) return;
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, this.retryMostMs);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.reconnect();
    }, wait);
    this.retryTimer.unref();
  }

  private desk(): DeskCaller & Partial<Pick<DeskClient, 'events'>> {
    const address = this.address();
    if (!address) throw new GalleyError('invalid_input', 'Connect to a newsroom desk first (Settings → Newsroom desk).');
    this.client ??= this.connectTo(address, () => this.token());
    return this.client;
  }

  /** Checks the session with the desk (auth.me), then opens the event socket and syncs. */
  async reconnect(): Promise<void> {
    if (this.stopped || !this.address()) return;
    if (!this.token()) return this.setState('signed-out', this.lastError);
    this.clearRetry();
    try {
      const me = await this.desk().call('auth.me', {});
      if (this.stopped) return;
      this.adopt(me.person, me.deskName);
      if (!this.token()) return;
      this.retryMs = this.retryFirstMs;
      this.setState('connected', null);
      this.openEvents();
      this.kick();
    } catch (error) {
      this.failed(error);
    }
  }

  private openEvents(): void {
    if (this.socket || this.stopped) return;
    const desk = this.desk();
    if (!desk.events) return;
    this.socket = desk.events(
      (event) => this.onEvent(event),
      () => {
        this.socket = null;
        if (this.stopped || this.state !== 'connected') return;
        // The desk went away (or a desk process behind the balancer did): try again soon.
        this.setState('offline', `The connection to the desk at ${this.address()} dropped; trying again.`);
        this.scheduleRetry();
      },
    );
  }

  private closeEvents(): void {
    this.socket?.close();
    this.socket = null;
  }

  private onEvent(event: DeskEvent): void {
    if (event.type === 'changed') this.kick();
    else this.sessionEnded(event.reason);
  }

  /** What a failed desk call means for the link: offline (retry), signed out, or just a message. */
  private failed(error: unknown): void {
    if (this.stopped) return;
    if (error instanceof GalleyError && error.code === 'unavailable') {
      this.closeEvents();
      this.setState('offline', error.message);
      this.scheduleRetry();
    } else if (error instanceof GalleyError && error.code === 'unauthenticated') {
      this.sessionEnded(error.message);
    } else {
      if (!(error instanceof GalleyError)) console.error('[galley] desk sync failed:', error);
      this.lastError = error instanceof GalleyError ? error.message : 'Syncing with the desk failed; the error was logged. Your work is kept here.';
      this.changed();
    }
  }

  /** The desk ended this session (expired, signed out elsewhere, revoked): local work stays and waits. */
  private sessionEnded(message: string): void {
    // Already over: a call that was on its way when the session ended (the desk's
    // signedOut event) went out without a token and comes back "sign in first". The
    // first reason (revoked, expired) is the true one and stays.
    if (this.state === 'signed-out' && !this.token()) return;
    const why = endedBecause(message);
    this.closeEvents();
    this.clearRetry();
    this.storeToken(null);
    if (why.revoked) setSetting(this.ctx.db, DESK_SETTINGS.revoked, '1');
    setSetting(this.ctx.db, DESK_SETTINGS.lastError, why.lastError);
    this.setState('signed-out', why.lastError);
  }

  /**
   * The desk's word on a person: mirrored into the local people table with the same id
   * and the desk's role. For the person signed in here, they are (still) the current
   * person, so the local role checks follow the desk. A revoked one ends the session.
   */
  adopt(person: DeskPerson, deskName?: string): void {
    upsertPerson(this.ctx.db, { id: person.id, name: person.name, role: person.role, createdAt: person.createdAt });
    // Someone else's change (the sync engine mirrors the whole newsroom) stops here.
    if (this.person()?.id !== person.id) return;
    const before = getSetting(this.ctx.db, DESK_SETTINGS.person);
    setSetting(this.ctx.db, DESK_SETTINGS.person, JSON.stringify(person));
    if (deskName) setSetting(this.ctx.db, DESK_SETTINGS.deskName, deskName);
    const current = getSetting(this.ctx.db, CURRENT_PERSON);
    if (current !== person.id || before !== JSON.stringify(person)) {
      setSetting(this.ctx.db, CURRENT_PERSON, person.id);
      this.ctx.emit('session.changed', { personId: person.id });
      this.changed();
    }
    if (person.revokedAt !== null) this.sessionEnded('An administrator revoked your access to this desk.');
  }

  // ---- sync passes ---------------------------------------------------------------

  /**
   * A version was cut here (autosave, Save version, a workflow step): send it soon, not
   * at the next 30-second pass, so a bio or story the reporter wrote is on the desk
   * when the editor looks. Coalesced: a burst of versions is one pass.
   */
  versionCut(): void {
    if (this.soonTimer || this.stopped || this.state !== 'connected') return;
    this.soonTimer = setTimeout(() => {
      this.soonTimer = null;
      this.kick();
    }, 300);
    this.soonTimer.unref();
  }

  private soonTimer: NodeJS.Timeout | null = null;

  /** Asks for a sync pass (at most one runs; a kick during one runs another after it). */
  kick(): void {
    if (this.stopped || this.state !== 'connected') return;
    this.again = true;
    this.passing ??= this.loop().finally(() => {
      this.passing = null;
    });
  }

  private async loop(): Promise<void> {
    while (this.again && !this.stopped && this.state === 'connected') {
      this.again = false;
      await this.pass();
    }
  }

  private async pass(): Promise<void> {
    const person = this.person();
    if (!person) return;
    const desk = this.desk();
    try {
      // Revisions first, so the revision a workflow step names is on the desk; the pull
      // last, so what it brings back already includes the desk's answer to the outbox.
      await pushRevisions(this.ctx, desk);
      await runOutbox(this.ctx, desk, person.id, () => this.changed());
      await pullChanges(this.ctx, desk);
      if (this.stopped) return;
      this.lastSyncAt = this.ctx.now();
      // The session may have ended while this pass ran (the desk's signedOut event): its
      // reason stays.
      if (this.state === 'connected') this.lastError = null;
      this.changed();
    } catch (error) {
      this.failed(error);
    }
  }

  /**
   * Desk → Sync now: check the session with the desk (so a role change or a revocation
   * shows now, not at the next sync that happens to fail), then run a pass and wait.
   */
  async syncNow(): Promise<DeskLink> {
    if (!this.linked()) throw new GalleyError('invalid_input', 'This workstation works alone; connect to a newsroom desk first (Settings → Newsroom desk).');
    await this.settled();
    await this.reconnect();
    await this.settled();
    if (this.state === 'connected') {
      this.kick();
      await this.settled();
    }
    return this.status();
  }

  /** Resolves when no sync pass is running. */
  async settled(): Promise<void> {
    while (this.passing) await this.passing.catch(() => undefined);
  }

  /**
   * A call straight to the desk (locks, publishing, people): its failure also moves the
   * link (unreachable → offline, session over → signed out) before it is thrown.
   */
  async call<K extends DeskOperationName>(name: K, input: DeskInput<K>): Promise<DeskOutput<K>> {
    if (!this.token()) {
      throw new GalleyError('unauthenticated', this.lastError ?? 'Sign in to the newsroom desk first (Settings → Newsroom desk).');
    }
    try {
      return await this.desk().call(name, input);
    } catch (error) {
      this.failed(error);
      throw error;
    }
  }

  // ---- Settings → Newsroom desk --------------------------------------------------

  async connect(address: string): Promise<DeskLink> {
    const normalized = address.replace(/\/+$/, '');
    const previous = this.address();
    if (previous && previous !== normalized && this.waiting() > 0) {
      throw new GalleyError('conflict', `${this.waiting()} changes are waiting to be sent to the desk at ${previous}; send them before using another desk.`);
    }
    const hello = await this.connectTo(normalized, () => null).call('desk.hello', {});
    if (hello.protocol !== DESK_PROTOCOL) {
      throw new GalleyError(
        'unavailable',
        `The desk at ${normalized} speaks version ${hello.protocol} of the desk protocol and this Galley speaks ${DESK_PROTOCOL}; update ${hello.protocol > DESK_PROTOCOL ? 'Galley on this workstation' : 'the desk'}.`,
      );
    }
    if (previous !== normalized) {
      this.closeEvents();
      this.client = null;
      this.storeToken(null);
      deleteSetting(this.ctx.db, DESK_SETTINGS.person);
      deleteSetting(this.ctx.db, DESK_SETTINGS.cursor);
      deleteSetting(this.ctx.db, DESK_SETTINGS.revoked);
      deleteSetting(this.ctx.db, DESK_SETTINGS.lastError);
      setSetting(this.ctx.db, DESK_SETTINGS.address, normalized);
    }
    setSetting(this.ctx.db, DESK_SETTINGS.needsSetup, hello.needsSetup ? '1' : '0');
    if (hello.deskName) setSetting(this.ctx.db, DESK_SETTINGS.deskName, hello.deskName);
    if (this.token()) await this.reconnect();
    else this.setState('signed-out', null);
    this.changed();
    return this.status();
  }

  async setup(input: DeskInput<'desk.setup'>): Promise<DeskLink> {
    return this.begin(await this.anonymous('desk.setup', input));
  }

  async signIn(input: { username: string; password: string }): Promise<DeskLink> {
    return this.begin(await this.anonymous('auth.signIn', { ...input, device: deviceName() }));
  }

  async acceptInvite(input: { code: string; password: string }): Promise<DeskLink> {
    return this.begin(await this.anonymous('auth.acceptInvite', { ...input, device: deviceName() }));
  }

  private async anonymous<K extends 'desk.setup' | 'auth.signIn' | 'auth.acceptInvite'>(name: K, input: DeskInput<K>): Promise<SessionGrant> {
    const address = this.address();
    if (!address) throw new GalleyError('invalid_input', 'Enter the desk address and connect first (Settings → Newsroom desk).');
    return (await this.connectTo(address, () => null).call(name, input)) as SessionGrant;
  }

  /** A new session: the token sealed, the person mirrored and made the one at the keyboard. */
  private async begin(grant: SessionGrant): Promise<DeskLink> {
    const previous = this.person();
    this.closeEvents();
    this.storeToken(grant.token);
    if (previous && previous.id !== grant.person.id) deleteSetting(this.ctx.db, DESK_SETTINGS.person);
    deleteSetting(this.ctx.db, DESK_SETTINGS.revoked);
    deleteSetting(this.ctx.db, DESK_SETTINGS.lastError);
    setSetting(this.ctx.db, DESK_SETTINGS.needsSetup, '0');
    setSetting(this.ctx.db, DESK_SETTINGS.person, JSON.stringify(grant.person));
    this.adopt(grant.person, grant.deskName);
    this.retryMs = this.retryFirstMs;
    this.setState('connected', null);
    this.openEvents();
    this.kick();
    return this.status();
  }

  async signOut(): Promise<DeskLink> {
    if (!this.linked()) return this.status();
    if (this.token() && this.state === 'connected') {
      // Best effort: a desk that is away cannot end the session, but this workstation forgets it.
      await this.desk()
        .call('auth.signOut', {})
        .catch(() => undefined);
    }
    this.closeEvents();
    this.clearRetry();
    this.storeToken(null);
    deleteSetting(this.ctx.db, DESK_SETTINGS.lastError);
    this.setState('signed-out', null);
    this.changed();
    return this.status();
  }

  async disconnect(): Promise<DeskLink> {
    if (!this.linked()) return this.status();
    const waiting = this.waiting();
    if (waiting > 0) {
      throw new GalleyError(
        'conflict',
        `${waiting} ${waiting === 1 ? 'change is' : 'changes are'} waiting to be sent to the desk; sign in and send ${waiting === 1 ? 'it' : 'them'} before working alone.`,
      );
    }
    await this.signOut();
    for (const key of Object.values(DESK_SETTINGS)) deleteSetting(this.ctx.db, key);
    clearRefused(this.ctx.db);
    this.client = null;
    this.setState('alone', null);
    this.changed();
    return this.status();
  }
}

function deviceName(): string {
  return `Galley on ${hostname()}`.slice(0, 200);
}

/**
 * For the sync engine: a 'person' change from the desk. Mirrors them locally; if they are
 * the person signed in here, their role (or revocation) takes effect on this workstation.
 */
export function applyDeskPerson(ctx: ServiceContext, person: DeskPerson): void {
  if (ctx.desk) ctx.desk.adopt(person);
  else upsertPerson(ctx.db, { id: person.id, name: person.name, role: person.role, createdAt: person.createdAt });
}

