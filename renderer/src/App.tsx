import { useCallback, useEffect, useRef, useState } from 'react';
import type { DocumentKind } from '../../shared/documents.ts';
import type { Person } from '../../shared/people.ts';
import { ROLE_LABELS } from '../../shared/people.ts';
import { useClient, useEvent } from './api/context.tsx';
import { Desk } from './desk/Desk.tsx';
import { DeskLinkProvider, inDeskMode, useDeskLink } from './desk-link/context.tsx';
import { DeskNotice } from './desk-link/DeskNotice.tsx';
import { DeskSignIn } from './desk-link/DeskSignIn.tsx';
import { DeskStatus } from './desk-link/DeskStatus.tsx';
import { DocumentEditor, type BeforeSwitch } from './documents/DocumentEditor.tsx';
import { describeError } from './errors.ts';
import { FirstRun } from './people/FirstRun.tsx';
import { SwitchUser } from './people/SwitchUser.tsx';
import { SettingsDialog } from './settings/SettingsDialog.tsx';
import { useAppearance } from './settings/appearance.ts';
import { SkipToStory } from './SkipToStory.tsx';
import { Notifications } from './workflow/Notifications.tsx';
import { UndoNotice } from './UndoNotice.tsx';

type Loaded = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; person: Person | null };

export function App() {
  return (
    <DeskLinkProvider>
      <Workstation />
    </DeskLinkProvider>
  );
}

/** Where Settings opens: at the top, or at Newsroom desk (from "Sign in to the desk"). */
type SettingsAt = null | 'top' | 'desk';

function Workstation() {
  const client = useClient();
  const { link } = useDeskLink();
  const deskMode = inDeskMode(link);
  const [session, setSession] = useState<Loaded>({ state: 'loading' });
  const [openId, setOpenId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [switching, setSwitching] = useState(false);
  const [settingsAt, setSettingsAt] = useState<SettingsAt>(null);
  const [error, setError] = useState<string | null>(null);
  const beforeSwitch: BeforeSwitch = useRef(null);
  useAppearance(client, session.state === 'ready' ? (session.person?.id ?? null) : null);

  const loadSession = useCallback(() => {
    client
      .call('session.get', {})
      .then(({ person }) => setSession({ state: 'ready', person }))
      .catch((e: unknown) => setSession({ state: 'error', message: describeError(e) }));
  }, [client]);
  useEffect(loadSession, [loadSession]);
  useEvent('session.changed', loadSession);
  // Signing in to the desk changes who is at the keyboard (the desk's person), and the
  // desk may change their role. This event comes with every sync pass, so a failed
  // refetch keeps what is shown rather than replacing the app with an error.
  useEvent(
    'desk.changed',
    useCallback(() => {
      client.call('session.get', {}).then(
        ({ person }) =>
          setSession((s) =>
            s.state === 'ready' && s.person?.id === person?.id && s.person?.role === person?.role && s.person?.name === person?.name
              ? s
              : { state: 'ready', person },
          ),
        () => {},
      );
    }, [client]),
  );
  // The page is the scroller: another story opens at its top, not where the last one was read.
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [openId]);

  const create = useCallback(
    async (kind: DocumentKind) => {
      try {
        setError(null);
        // The story on screen closes at once (saving as any close does): left open and
        // editable until the new one exists, what was typed next went into it, not into
        // the new story the person was looking for (a flaky e2e test showed it).
        setCreating(true);
        const doc = await client.call('documents.create', { kind });
        setOpenId(doc.id);
      } catch (e) {
        setError(describeError(e));
      } finally {
        setCreating(false);
      }
    },
    [client],
  );

  useEvent(
    'app.command',
    useCallback(
      ({ command }) => {
        // With a desk, who is at the keyboard is whoever signed in to it.
        if (command === 'switch-user') {
          if (deskMode) setSettingsAt('desk');
          else setSwitching(true);
        }
        else if (command === 'find') document.querySelector<HTMLInputElement>('input[type="search"]')?.focus();
        else void create(command === 'new-article' ? 'article' : command === 'new-caption' ? 'caption' : 'bio');
      },
      [create, deskMode],
    ),
  );

  if (session.state === 'loading') return <p className="centered">Opening Galley…</p>;
  if (session.state === 'error') {
    return (
      <div className="centered" role="alert">
        <h1>Galley cannot reach its back end</h1>
        <p>{session.message}</p>
      </div>
    );
  }
  if (!session.person) {
    // Wait for the link before choosing: a workstation of a desk must not offer to
    // invent a local person (the back end refuses it in desk mode).
    if (!link) return <p className="centered">Opening Galley…</p>;
    if (deskMode) return <DeskSignIn onSignedIn={loadSession} />;
    return <FirstRun onDone={(person) => setSession({ state: 'ready', person })} onSignedIn={loadSession} />;
  }

  const person = session.person;
  return (
    <div className="app">
      <SkipToStory />
      <header className="topbar">
        <span className="brand">Galley</span>
        <span className="who" aria-label="Current person">
          {person.name} · {ROLE_LABELS[person.role]}
        </span>
        <DeskStatus onSignIn={() => setSettingsAt('desk')} />
        <Notifications key={person.id} onOpen={setOpenId} />
        {/* With a desk, the desk says who this is (shown beside): no local switching. */}
        {!deskMode && (
          <button type="button" onClick={() => setSwitching(true)}>
            Switch user
          </button>
        )}
        <button type="button" onClick={() => setSettingsAt('top')}>
          Settings
        </button>
      </header>
      {deskMode && <DeskNotice person={person} />}
      {error && (
        <p role="alert" className="banner error">
          {error}
        </p>
      )}
      <UndoNotice />
      <div className="workspace">
        <Desk key={person.id} person={person} openId={openId} onOpen={setOpenId} onCreate={create} />
        <main className="editor-pane" id="story" tabIndex={-1}>
          {creating ? (
            <p className="loading">Creating…</p>
          ) : openId ? (
            <DocumentEditor
              key={`${openId}:${person.id}`}
              id={openId}
              person={person}
              onClosed={() => setOpenId(null)}
              onOpen={setOpenId}
              beforeSwitch={beforeSwitch}
            />
          ) : (
            <div className="empty-state">
              <h1>Nothing open</h1>
              <p>Pick a story from the list, or start a new article, caption or bio.</p>
            </div>
          )}
        </main>
      </div>
      {settingsAt && (
        <SettingsDialog person={person} at={settingsAt} onClose={() => setSettingsAt(null)} onSignedIn={loadSession} />
      )}
      {switching && !deskMode && (
        <SwitchUser
          current={person}
          beforeSwitch={() => beforeSwitch.current?.() ?? Promise.resolve()}
          onClose={() => setSwitching(false)}
          onSwitched={(p) => {
            setSwitching(false);
            setSession({ state: 'ready', person: p });
          }}
        />
      )}
    </div>
  );
}
