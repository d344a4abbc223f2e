import type { Person } from '../../../shared/people.ts';
import { PersonForm } from './PersonForm.tsx';

export function FirstRun({ onDone }: { onDone: (p: Person) => void }) {
  return (
    <main className="first-run">
      <h1>Welcome to Galley</h1>
      <p>Who is at the keyboard? Your name goes on every version you save; your role decides what you can do.</p>
      <PersonForm onDone={onDone} />
    </main>
  );
}
