import { useEffect, useState } from 'react';
import { APPEARANCE_LABELS, Appearance } from '../../../shared/appearance.ts';
import { useClient } from '../api/context.tsx';
import { describeError } from '../errors.ts';
import { applyAppearance } from './appearance.ts';

/** Settings → Appearance: System (the default), Light or Dark; applies at once. */
export function AppearanceSetting() {
  const client = useClient();
  const [value, setValue] = useState<Appearance | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    client.call('settings.get', {}).then((s) => setValue(s.appearance), (e: unknown) => setError(describeError(e)));
  }, [client]);

  const choose = async (next: Appearance) => {
    const before = value;
    setValue(next);
    applyAppearance(next);
    try {
      setError(null);
      await client.call('settings.update', { appearance: next });
    } catch (e) {
      // Not stored: say so and show what is still in force.
      setError(describeError(e));
      setValue(before);
      if (before) applyAppearance(before);
    }
  };

  return (
    // Not a named region: the choice itself is "Appearance", and one name should find one control.
    <section className="appearance">
      <h3>Appearance</h3>
      {value && (
        <label>
          Appearance
          <select value={value} onChange={(e) => void choose(Appearance.parse(e.target.value))}>
            {Appearance.options.map((a) => (
              <option key={a} value={a}>
                {APPEARANCE_LABELS[a]}
              </option>
            ))}
          </select>
        </label>
      )}
      <p className="hint">System follows the computer's light or dark setting.</p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}
