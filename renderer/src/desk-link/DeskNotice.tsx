import { useEffect, useRef, useState } from 'react';
import { ROLE_LABELS, type Person } from '../../../shared/people.ts';
import { useDeskLink } from './context.tsx';

/**
 * The line under the top bar that says, in words, what the desk did to this
 * workstation's session: why it is signed out (signed out elsewhere, expired, revoked)
 * and when the desk changed the person's role. The top bar's status says only the state.
 * A live region without role=status: the top bar's status is the one status of the link.
 */
export function DeskNotice({ person }: { person: Person }) {
  const { link } = useDeskLink();
  const [roleChange, setRoleChange] = useState<string | null>(null);
  const seen = useRef(person);

  useEffect(() => {
    const before = seen.current;
    seen.current = person;
    if (link && link.state !== 'alone' && before.id === person.id && before.role !== person.role) {
      setRoleChange(`The desk changed your role to ${ROLE_LABELS[person.role]}: what you can do here has changed with it.`);
    }
  }, [person, link]);

  const signedOutWhy = link?.state === 'signed-out' ? link.lastError : null;
  // The same live region always, empty when there is nothing to say, so what appears
  // in it is announced.
  return (
    <div aria-live="polite" className={signedOutWhy || roleChange ? 'banner notice desk-notice' : 'desk-notice'}>
      {signedOutWhy && <p>{signedOutWhy}</p>}
      {roleChange && (
        <p>
          {roleChange}{' '}
          <button type="button" className="link" onClick={() => setRoleChange(null)}>
            Dismiss
          </button>
        </p>
      )}
    </div>
  );
}
