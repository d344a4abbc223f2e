import { useEffect, useRef, useState } from 'react';
import { ROLE_LABELS, type Person } from '../../../shared/people.ts';
import { useClient } from '../api/context.tsx';
import { describeError } from '../errors.ts';
import { PersonForm } from './PersonForm.tsx';

export function SwitchUser({
  current,
  beforeSwitch,
  onClose,
  onSwitched,
}: {
  current: Person;
  /** The open editor saves and lets go of its lock while the person who typed is still current. */
  beforeSwitch: () => Promise<void>;
  onClose: () => void;
  onSwitched: (p: Person) => void;
}) {
  const client = useClient();
  const [people, setPeople] = useState<Person[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    dialog.current?.showModal();
    client.call('people.list', {}).then(setPeople, (e: unknown) => setError(describeError(e)));
  }, [client]);

  const pick = async (p: Person) => {
    try {
      // Picking the person already here changes nothing: their editor stays as it is.
      if (p.id !== current.id) await beforeSwitch();
      const { person } = await client.call('session.switch', { personId: p.id });
      onSwitched(person);
    } catch (e) {
      setError(describeError(e));
    }
  };

  return (
    <dialog ref={dialog} aria-labelledby="switch-title" onClose={onClose} className="switch-user">
      <h2 id="switch-title">Switch user</h2>
      {error && <p role="alert">{error}</p>}
      <ul aria-label="People" className="people">
        {people?.map((p) => (
          <li key={p.id}>
            <button type="button" onClick={() => pick(p)} aria-current={p.id === current.id}>
              {p.name} — {ROLE_LABELS[p.role]}
            </button>
          </li>
        ))}
      </ul>
      <h3>Someone new</h3>
      <PersonForm onDone={onSwitched} beforeSwitch={beforeSwitch} />
      <button type="button" onClick={onClose} className="secondary">
        Cancel
      </button>
    </dialog>
  );
}
