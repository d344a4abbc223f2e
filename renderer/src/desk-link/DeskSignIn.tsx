import { NewsroomDesk } from './NewsroomDesk.tsx';

/**
 * A workstation that belongs to a newsroom desk but has nobody signed in yet: the desk
 * decides who is at the keyboard, so the only way in is signing in (or Work alone).
 */
export function DeskSignIn({ onSignedIn }: { onSignedIn: () => void }) {
  return (
    <main className="first-run">
      <h1>Welcome to Galley</h1>
      <NewsroomDesk onSignedIn={onSignedIn} focusOnOpen />
    </main>
  );
}
