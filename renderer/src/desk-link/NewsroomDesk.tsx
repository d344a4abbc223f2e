import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { DeskLink } from '../../../shared/contract.ts';
import { ROLE_LABELS } from '../../../shared/people.ts';
import { useClient } from '../api/context.tsx';
import { whenChanged } from '../time.ts';
import { useDeskLink } from './context.tsx';
import { Field, FormError } from './fields.tsx';
import { waitingSentence } from './words.ts';
import { NewsroomPeople } from './NewsroomPeople.tsx';
import { useAction } from './useAction.ts';

/**
 * Settings → Newsroom desk: the desk's address, creating the desk or signing in to it,
 * and once signed in who you are, Sync now, Sign out and Work alone. Administrators
 * also manage the newsroom's people here. The first run shows the same section, so a
 * new workstation can join a desk without inventing a local person first.
 */
export function NewsroomDesk({ onSignedIn, focusOnOpen = false }: { onSignedIn?: () => void; focusOnOpen?: boolean }) {
  const { link, error } = useDeskLink();
  const section = useRef<HTMLElement>(null);

  // "Sign in to the desk" opens Settings here: bring the section into view and put
  // the cursor in its first field, so the person can type straight away.
  useEffect(() => {
    if (!focusOnOpen || !link) return;
    // After the frame: a parent dialog's showModal (its effect runs after this one)
    // moves focus itself.
    const frame = requestAnimationFrame(() => {
      section.current?.scrollIntoView({ block: 'start' });
      section.current?.querySelector<HTMLElement>('input:not([readonly]), button')?.focus();
    });
    return () => cancelAnimationFrame(frame);
  }, [focusOnOpen, link === null]);

  return (
    <section ref={section} aria-labelledby="newsroom-desk-title" className="newsroom-desk">
      <h3 id="newsroom-desk-title">Newsroom desk</h3>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {!link ? (
        !error && <p className="hint">Checking the newsroom desk…</p>
      ) : link.state === 'alone' ? (
        <>
          <p className="hint">
            This workstation works alone. To share stories, review and publishing with the newsroom, enter the address of
            your newsroom’s desk.
          </p>
          <AddressForm link={link} />
        </>
      ) : link.person && link.state !== 'signed-out' ? (
        <SignedIn link={link} />
      ) : (
        <SignedOut link={link} onSignedIn={onSignedIn} />
      )}
    </section>
  );
}

function AddressForm({ link }: { link: DeskLink }) {
  const client = useClient();
  const { apply } = useDeskLink();
  const [address, setAddress] = useState(link.address ?? '');
  const action = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const next = await action.run(() => client.call('desk.connect', { address }));
    if (next) apply(next);
  };
  return (
    <form className="desk-form" onSubmit={submit}>
      <label>
        Desk address
        {/* Plain text, not type=url: the back end's message says what a desk address
            looks like, where the browser's own bubble would not. */}
        <input
          value={address}
          onChange={(e) => setAddress(e.target.value)}
          placeholder="https://desk.example.org"
          autoComplete="url"
          spellCheck={false}
        />
      </label>
      <FormError message={action.error} />
      <button type="submit" disabled={action.busy}>
        {action.busy ? 'Connecting…' : 'Connect'}
      </button>
    </form>
  );
}

function SignedOut({ link, onSignedIn }: { link: DeskLink; onSignedIn?: (() => void) | undefined }) {
  const [invite, setInvite] = useState(false);
  const [changeAddress, setChangeAddress] = useState(false);
  const deskName = link.deskName ?? link.address ?? 'the desk';
  return (
    <>
      <p>
        {link.needsSetup ? (
          <>
            The desk at <strong>{link.address}</strong> is new: create it and become its administrator.
          </>
        ) : (
          <>
            Sign in to <strong>{deskName}</strong>
            {link.deskName && link.address ? <> at {link.address}</> : null}.
          </>
        )}
      </p>
      {link.lastError && <p className="notice">{link.lastError}</p>}
      {link.waiting > 0 && (
        <p className="hint">
          {waitingSentence(link.waiting)} on this workstation; {link.waiting === 1 ? 'it goes' : 'they go'} out when you
          sign in.
        </p>
      )}
      {link.needsSetup ? (
        <SetupForm onSignedIn={onSignedIn} />
      ) : invite ? (
        <>
          <InviteCodeForm onSignedIn={onSignedIn} />
          <button type="button" className="link" onClick={() => setInvite(false)}>
            Sign in with a username and password
          </button>
        </>
      ) : (
        <>
          <SignInForm onSignedIn={onSignedIn} />
          <button type="button" className="link" onClick={() => setInvite(true)}>
            I have an invite code
          </button>
        </>
      )}
      <div className="desk-actions">
        <button type="button" className="link" aria-expanded={changeAddress} onClick={() => setChangeAddress((v) => !v)}>
          Use another desk address
        </button>
        <WorkAlone link={link} />
      </div>
      {changeAddress && <AddressForm link={link} />}
    </>
  );
}

function SetupForm({ onSignedIn }: { onSignedIn?: (() => void) | undefined }) {
  const client = useClient();
  const { apply } = useDeskLink();
  const [deskName, setDeskName] = useState('');
  const [name, setName] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const next = await action.run(() => client.call('desk.setup', { deskName, name, username, password }));
    if (next) {
      apply(next);
      onSignedIn?.();
    }
  };
  return (
    <form className="desk-form" onSubmit={submit}>
      <Field label="Desk name" value={deskName} onChange={setDeskName} placeholder="Harbour Times newsroom" />
      <Field label="Your name" value={name} onChange={setName} autoComplete="name" />
      <Field label="Username" value={username} onChange={setUsername} autoComplete="username" />
      <Field label="Password" value={password} onChange={setPassword} type="password" autoComplete="new-password" hint="At least 10 characters." />
      <FormError message={action.error} />
      <button type="submit" disabled={action.busy}>
        {action.busy ? 'Creating the desk…' : 'Create desk'}
      </button>
    </form>
  );
}

function SignInForm({ onSignedIn }: { onSignedIn?: (() => void) | undefined }) {
  const client = useClient();
  const { apply } = useDeskLink();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const next = await action.run(() => client.call('desk.signIn', { username, password }));
    if (next) {
      apply(next);
      onSignedIn?.();
    } else {
      // A wrong password is typed again, not edited: clear it, keep the username.
      setPassword('');
    }
  };
  return (
    <form className="desk-form" onSubmit={submit}>
      <Field label="Username" value={username} onChange={setUsername} autoComplete="username" />
      <Field label="Password" value={password} onChange={setPassword} type="password" autoComplete="current-password" />
      <FormError message={action.error} />
      <button type="submit" disabled={action.busy}>
        {action.busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

function InviteCodeForm({ onSignedIn }: { onSignedIn?: (() => void) | undefined }) {
  const client = useClient();
  const { apply } = useDeskLink();
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const next = await action.run(() => client.call('desk.acceptInvite', { code, password }));
    if (next) {
      apply(next);
      onSignedIn?.();
    }
  };
  return (
    <form className="desk-form" onSubmit={submit}>
      <Field label="Invite code" value={code} onChange={setCode} autoComplete="off" autoFocus />
      <Field label="Password" value={password} onChange={setPassword} type="password" autoComplete="new-password" hint="Choose one: at least 10 characters." />
      <FormError message={action.error} />
      <button type="submit" disabled={action.busy}>
        {action.busy ? 'Joining…' : 'Join desk'}
      </button>
    </form>
  );
}

function SignedIn({ link }: { link: DeskLink }) {
  const client = useClient();
  const { apply } = useDeskLink();
  const person = link.person!;
  const action = useAction();
  const [synced, setSynced] = useState<string | null>(null);

  const signOut = async () => {
    const next = await action.run(() => client.call('desk.signOut', {}));
    if (next) apply(next);
  };
  const syncNow = async () => {
    setSynced(null);
    const next = await action.run(() => client.call('desk.syncNow', {}));
    if (next) {
      apply(next);
      setSynced(next.state === 'connected' ? 'Up to date with the desk.' : null);
    }
  };

  return (
    <>
      <p className="signed-in">
        Signed in as {person.name} ({ROLE_LABELS[person.role]})
      </p>
      <p className="hint">
        {link.deskName ?? 'The desk'} at {link.address}
        {person.admin ? ' · you are its administrator' : ''}
        {link.lastSyncAt !== null ? ` · last synced ${whenChanged(link.lastSyncAt)}` : ''}
      </p>
      {link.state === 'offline' && (
        <p className="notice">
          The desk cannot be reached. Keep working: {link.waiting > 0 ? waitingSentence(link.waiting).toLowerCase() : 'your changes wait'} on
          this workstation and go out when it answers again.
        </p>
      )}
      {link.lastError && link.state !== 'offline' && <p className="notice">{link.lastError}</p>}
      {link.lastError && link.state === 'offline' && <p className="hint">{link.lastError}</p>}
      <div className="desk-actions">
        <button type="button" onClick={syncNow} disabled={action.busy}>
          Sync now
        </button>
        <button type="button" onClick={signOut} disabled={action.busy}>
          Sign out
        </button>
        <WorkAlone link={link} />
      </div>
      <p aria-live="polite" className="hint">
        {synced}
      </p>
      <FormError message={action.error} />
      {person.admin && <NewsroomPeople self={person.id} />}
    </>
  );
}

/** desk.disconnect, after saying what it means: the workstation keeps its stories. */
function WorkAlone({ link }: { link: DeskLink }) {
  const client = useClient();
  const { apply } = useDeskLink();
  const [confirming, setConfirming] = useState(false);
  const action = useAction();
  const yes = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) yes.current?.focus();
  }, [confirming]);

  const disconnect = async () => {
    const next = await action.run(() => client.call('desk.disconnect', {}));
    if (next) {
      setConfirming(false);
      apply(next);
    }
  };

  if (!confirming) {
    return (
      <button type="button" className="secondary" onClick={() => setConfirming(true)}>
        Work alone
      </button>
    );
  }
  return (
    <div role="group" aria-label="Work alone?" className="confirm">
      <p>
        Stop using {link.deskName ?? 'the newsroom desk'}? Your stories stay on this workstation, but nothing more is sent to
        or fetched from the desk.
      </p>
      <FormError message={action.error} />
      <button ref={yes} type="button" className="danger" onClick={disconnect} disabled={action.busy}>
        Yes, work alone
      </button>
      <button type="button" className="secondary" onClick={() => setConfirming(false)}>
        Keep the desk
      </button>
    </div>
  );
}
