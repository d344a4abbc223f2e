import { useEffect, useState } from 'react';
import { ROLE_LABELS, type Person } from '../../../shared/people.ts';
import { useClient } from '../api/context.tsx';
import { describeError } from '../errors.ts';

/** Editors hand a document to someone; the desk shows who holds it. */
export function AssignControl({ id, assigneeId }: { id: string; assigneeId: string | null }) {
  const client = useClient();
  const [people, setPeople] = useState<Person[]>([]);
  const [value, setValue] = useState(assigneeId ?? '');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    client.call('people.list', {}).then(setPeople, (e: unknown) => setError(describeError(e)));
  }, [client]);

  const assign = async (personId: string) => {
    setValue(personId);
    try {
      setError(null);
      await client.call('documents.assign', { id, personId: personId || null });
    } catch (e) {
      setError(describeError(e));
    }
  };

  return (
    <label className="assign">
      Assigned to
      <select value={value} onChange={(e) => void assign(e.target.value)}>
        <option value="">Nobody (owner holds it)</option>
        {people.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name} — {ROLE_LABELS[p.role]}
          </option>
        ))}
      </select>
      {error && <span className="error">{error}</span>}
    </label>
  );
}
