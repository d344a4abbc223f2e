import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { Output } from '../../../shared/contract.ts';
import type { DeskPerson } from '../../../shared/desk.ts';
import { ROLES, ROLE_LABELS, type Role } from '../../../shared/people.ts';
import { useClient, useEvent } from '../api/context.tsx';
import { whenExactly } from '../time.ts';
import { Field, FormError } from './fields.tsx';
import { useAction } from './useAction.ts';

/**
 * For the desk's administrators: the newsroom's people with their roles, revoking, and
 * inviting someone new. The desk enforces who may do this; the workstation only shows
 * it to administrators.
 */
export function NewsroomPeople({ self }: { self: string }) {
  const client = useClient();
  const [people, setPeople] = useState<DeskPerson[] | null>(null);
  const load = useAction();

  const reload = useCallback(() => {
    void load.run(() => client.call('desk.people', {})).then((list) => list && setPeople(list));
  }, [client]);
  useEffect(reload, [reload]);
  // A role changed or someone joined on another workstation.
  useEvent('desk.changed', reload);

  const replace = (p: DeskPerson) => setPeople((list) => list?.map((x) => (x.id === p.id ? p : x)) ?? null);

  return (
    <div className="newsroom-people">
      <h4 id="newsroom-people-title">Newsroom people</h4>
      <FormError message={load.error} />
      {people && (
        <ul aria-labelledby="newsroom-people-title">
          {people.map((p) => (
            <PersonRow key={p.id} person={p} self={p.id === self} onChanged={replace} />
          ))}
        </ul>
      )}
      <InvitePerson onInvited={reload} />
    </div>
  );
}

function PersonRow({ person, self, onChanged }: { person: DeskPerson; self: boolean; onChanged: (p: DeskPerson) => void }) {
  const client = useClient();
  const action = useAction();
  const [confirming, setConfirming] = useState(false);
  const revoked = person.revokedAt !== null;

  const setRole = async (role: Role) => {
    const next = await action.run(() => client.call('desk.setRole', { personId: person.id, role }));
    if (next) onChanged(next);
  };
  const revoke = async () => {
    const next = await action.run(() => client.call('desk.revoke', { personId: person.id }));
    if (next) {
      setConfirming(false);
      onChanged(next);
    }
  };

  return (
    <li className={revoked ? 'revoked' : undefined}>
      <span className="name">{person.name}</span> <span className="hint">{person.username}</span>
      {person.admin && <span className="badge">Administrator</span>}
      {revoked ? (
        <span className="hint"> Revoked {whenExactly(person.revokedAt!)}</span>
      ) : (
        <>
          <select
            aria-label={`Role for ${person.name}`}
            value={person.role}
            disabled={action.busy}
            onChange={(e) => void setRole(e.target.value as Role)}
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
          {!self &&
            (confirming ? (
              <span role="group" aria-label={`Revoke ${person.name}?`} className="confirm">
                {person.name} is signed out everywhere and can no longer sign in.{' '}
                <button type="button" className="danger" onClick={revoke} disabled={action.busy} autoFocus>
                  Yes, revoke
                </button>
                <button type="button" className="secondary" onClick={() => setConfirming(false)}>
                  Cancel
                </button>
              </span>
            ) : (
              <button type="button" className="danger" onClick={() => setConfirming(true)}>
                Revoke {person.name}
              </button>
            ))}
        </>
      )}
      <FormError message={action.error} />
    </li>
  );
}

type Invited = Output<'desk.invite'>;

function InvitePerson({ onInvited }: { onInvited: () => void }) {
  const client = useClient();
  const [name, setName] = useState('');
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<Role>('reporter');
  const [invited, setInvited] = useState<Invited | null>(null);
  const action = useAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const answer = await action.run(() => client.call('desk.invite', { name, username, role }));
    if (answer) {
      setInvited(answer);
      setName('');
      setUsername('');
      setRole('reporter');
      onInvited();
    }
  };

  return (
    <div className="invite-person">
      <form className="desk-form" aria-labelledby="invite-person-title" onSubmit={submit}>
        <h4 id="invite-person-title">Invite person</h4>
        <Field label="Name" value={name} onChange={setName} autoComplete="off" />
        <Field label="Username" value={username} onChange={setUsername} autoComplete="off" />
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </label>
        <FormError message={action.error} />
        <button type="submit" disabled={action.busy}>
          Invite
        </button>
      </form>
      {invited && <InviteCode invited={invited} />}
    </div>
  );
}

/** The code is shown once: the desk keeps only its hash. */
function InviteCode({ invited }: { invited: Invited }) {
  const box = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const label = `Invite code for ${invited.person.name}`;

  const copy = async () => {
    const code = invited.code;
    try {
      await navigator.clipboard.writeText(code);
      setCopied('Copied.');
    } catch {
      // No clipboard permission (some browsers, plain http): select it so Ctrl+C copies it.
      box.current?.select();
      setCopied('Selected: press Ctrl+C (⌘C on a Mac) to copy it.');
    }
  };

  return (
    <div className="invite-code">
      <label>
        {label}
        <input ref={box} readOnly value={invited.code} onFocus={(e) => e.currentTarget.select()} spellCheck={false} />
      </label>
      <button type="button" onClick={copy}>
        Copy invite code
      </button>
      <p className="hint">
        Give this code to {invited.person.name}: they choose a password with it under Newsroom desk → I have an invite
        code. It works once, until {whenExactly(invited.expiresAt)}. Galley does not show it again.
      </p>
      <p aria-live="polite" className="hint">
        {copied}
      </p>
    </div>
  );
}
