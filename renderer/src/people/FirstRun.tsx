import { useState } from 'react';
import type { Person } from '../../../shared/people.ts';
import { NewsroomDesk } from '../desk-link/NewsroomDesk.tsx';
import { PersonForm } from './PersonForm.tsx';

/**
 * Who is at the keyboard: a local person for a workstation that works alone, or, in a
 * newsroom with a desk, whoever signs in to it (so the desk, not this form, says who
 * may edit). Once a desk address is connected the app shows the desk's sign-in instead.
 */
export function FirstRun({ onDone, onSignedIn }: { onDone: (p: Person) => void; onSignedIn: () => void }) {
  const [desk, setDesk] = useState(false);
  return (
    <main className="first-run">
      <h1>Welcome to Galley</h1>
      {desk ? (
        <>
          <NewsroomDesk onSignedIn={onSignedIn} focusOnOpen />
          <button type="button" className="link" onClick={() => setDesk(false)}>
            Work alone on this workstation
          </button>
        </>
      ) : (
        <>
          <p>Who is at the keyboard? Your name goes on every version you save; your role decides what you can do.</p>
          <PersonForm onDone={onDone} />
          <p className="hint first-run-desk">
            Does your newsroom have a Galley desk?{' '}
            <button type="button" className="link" onClick={() => setDesk(true)}>
              Use a newsroom desk
            </button>
          </p>
        </>
      )}
    </main>
  );
}
