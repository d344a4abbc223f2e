import { useState, type FormEvent } from 'react';
import { ROLES, ROLE_LABELS, type Person, type Role } from '../../../shared/people.ts';
import { useClient } from '../api/context.tsx';
import { describeError } from '../errors.ts';

/** Name and role, used by the first run and by Switch user → add. */
export function PersonForm({
  onDone,
  submitLabel = 'Start',
  beforeSwitch,
}: {
  onDone: (p: Person) => void;
  submitLabel?: string;
  /** See SwitchUser: runs after the person is added, before they take the keyboard. */
  beforeSwitch?: () => Promise<void>;
}) {
  const client = useClient();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('reporter');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const person = await client.call('people.create', { name, role });
      await beforeSwitch?.();
      const { person: current } = await client.call('session.switch', { personId: person.id });
      onDone(current);
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };

  return (
    <form className="person-form" onSubmit={submit}>
      <label>
        Your name
        <input value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" required maxLength={120} />
      </label>
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
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {submitLabel}
      </button>
    </form>
  );
}
