import type { Editor } from '@tiptap/core';
import { useCallback, useEffect, useRef, useState, useSyncExternalStore, type MutableRefObject } from 'react';
import {
  BIO_WORD_BUDGET,
  BODY_LABELS,
  KIND_LABELS,
  STATUS_LABELS,
  type ArticleFields,
  type BioFields,
  type CaptionFields,
  type DocumentContent,
  type DocumentRecord,
} from '../../../shared/documents.ts';
import type { Person } from '../../../shared/people.ts';
import { canEdit } from '../../../shared/permissions.ts';
import { countWords, plainText } from '../../../shared/richtext.ts';
import { headlineIssue } from '../../../shared/style/houseStyle.ts';
import { useClient, useEvent } from '../api/context.tsx';
import { HouseStylePanel } from '../editor/HouseStylePanel.tsx';
import { bodyJson } from '../editor/bodyJson.ts';
import { commentsKey } from '../editor/comments.ts';
import type { DocIssue, StyleHolder } from '../editor/houseStyle.ts';
import { RichTextEditor } from '../editor/RichTextEditor.tsx';
import { useStyle } from '../editor/useStyle.ts';
import { describeError } from '../errors.ts';
import { afterIdle } from '../idle.ts';
import { HistoryPanel } from '../history/HistoryPanel.tsx';
import { WorkflowBar } from '../workflow/WorkflowBar.tsx';
import { PublishingPanel } from '../publishing/PublishingPanel.tsx';
import { AssignControl } from './AssignControl.tsx';
import { CommentsPanel } from './CommentsPanel.tsx';
import { ArticleForm, BioForm, CaptionForm, Counts } from './forms.tsx';
import { DocumentHeading } from './DocumentHeading.tsx';
import { RecoveredNote, SaveStateLabel } from './SaveState.tsx';
import { useLock } from './useLock.ts';
import { takeBackup, useWorkingCopy } from './useWorkingCopy.ts';

type Loaded = { record: DocumentRecord; initial: DocumentContent; recovered: boolean };

/** Set by the open editor: saves its text and lets go of its lock before Switch user. */
export type BeforeSwitch = MutableRefObject<(() => Promise<void>) | null>;

export function DocumentEditor({
  id,
  person,
  onClosed,
  onOpen,
  beforeSwitch,
}: {
  id: string;
  person: Person;
  onClosed: () => void;
  onOpen: (id: string) => void;
  beforeSwitch?: BeforeSwitch;
}) {
  const client = useClient();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  // This editor window's identity for the edit lock and its own saves' events.
  const session = useRef(crypto.randomUUID()).current;

  useEffect(() => {
    let live = true;
    client.call('documents.get', { id }).then(
      (record) => {
        if (!live) return;
        const backup = takeBackup(record, person.id);
        setLoaded({ record, initial: backup ?? record.content, recovered: backup !== null });
      },
      (e: unknown) => live && setError(describeError(e)),
    );
    return () => {
      live = false;
    };
  }, [client, id, person.id]);

  // Whether this window only reads the story (someone else holds it, or this person may
  // not edit it) and so holds nothing of its own: set by the editor below.
  const reading = useRef(false);

  // Status, approval and holder can change under an open editor (a workflow step, an
  // edit that makes an approval stale): take those, not the text, which is ours, nor
  // the revision holding it (what an editor approves is the text on this screen). Our
  // own saves change neither (a stale approval comes as an event of its own), and
  // refetching a long story after every save took time from the keystrokes around it.
  // A window that only reads does take a new revision's text (with a newsroom desk, the
  // holder's work arrives from another workstation): it has nothing to lose, and what
  // it then approves is that revision, shown.
  const refresh = useCallback(() => {
    client.call('documents.get', { id }).then(
      (fresh) =>
        setLoaded((prev) => {
          if (!prev) return prev;
          if (reading.current && fresh.revisionId !== null && fresh.revisionId !== prev.record.revisionId && fresh.version !== prev.record.version) {
            return { record: fresh, initial: fresh.content, recovered: false };
          }
          const { content: _content, version: _version, revisionId: _revisionId, ...meta } = fresh;
          return { ...prev, record: { ...prev.record, ...meta } };
        }),
      () => {},
    );
  }, [client, id]);
  useEvent(
    'documents.changed',
    useCallback((p) => p.id === id && p.session !== session && refresh(), [id, session, refresh]),
  );

  if (error) {
    return (
      <p role="alert" className="error">
        {error}
      </p>
    );
  }
  if (!loaded) return <p className="loading">Opening…</p>;
  return (
    <LoadedEditor
      // A restore replaces the working copy: start a fresh editor on it.
      key={loaded.record.version}
      {...loaded}
      session={session}
      person={person}
      beforeSwitch={beforeSwitch}
      reading={reading}
      onReading={refresh}
      onClosed={onClosed}
      onOpen={onOpen}
      onReplaced={(record) => setLoaded({ record, initial: record.content, recovered: false })}
    />
  );
}

type EditorProps = Loaded & {
  session: string;
  person: Person;
  beforeSwitch: BeforeSwitch | undefined;
  /** Set while this window only reads (see DocumentEditor): it may take new text. */
  reading: { current: boolean };
  /** The window just turned to only reading: take a newer revision that came meanwhile. */
  onReading: () => void;
  onClosed: () => void;
  onOpen: (id: string) => void;
  onReplaced: (record: DocumentRecord) => void;
};

function LoadedEditor({ record, initial, recovered, session, person, beforeSwitch, reading, onReading, onClosed, onOpen, onReplaced }: EditorProps) {
  const client = useClient();
  const mayEdit = canEdit(person, record) && record.trashedAt === null;
  const { lock, check: checkLock, letGo } = useLock(record.id, session, mayEdit);
  const [fields, setFields] = useState<DocumentContent['fields']>(initial.fields);
  const fieldsRef = useRef(fields);
  const editorRef = useRef<Editor | null>(null);
  const [words, setWords] = useState(() => countWords(plainText(initial.body)));
  const [bodyText, setBodyText] = useState(() => plainText(initial.body));
  const [actionError, setActionError] = useState<string | null>(null);

  const read = useCallback(() => {
    const editor = editorRef.current;
    return {
      fields: fieldsRef.current,
      body: editor ? bodyJson(editor.state.doc) : initial.body,
      anchors: editor ? commentsKey.getState(editor.state)?.anchors : undefined,
    };
  }, [initial.body]);
  const { saveState, changed, flush, resume, finish, version } = useWorkingCopy(client, record, read, session, {
    personId: person.id,
    unsaved: recovered,
    onLocked: checkLock,
  });
  // Optimistic: editable until the back end says someone else holds it (it also
  // refuses their saves, so nothing is overwritten in the moment before it answers).
  // Never editable while saves are refused: what is typed then would not be saved.
  const refused = useSyncExternalStore(saveState.subscribe, () => saveState.get().kind === 'failed');
  const editable = mayEdit && lock?.held !== false && !refused;
  // Only reading: may not edit, or another person holds it (not this person's other
  // window: reopening would claim the lock back from it), and nothing typed here waits.
  const onlyReading =
    (!mayEdit || (lock !== null && !lock.held && !lock.elsewhere)) && saveState.get().kind === 'saved' && version.current === record.version;
  reading.current = onlyReading;
  // A window that held the story while the desk was away (a local stand-in lock) and
  // hears on reconnect that someone else holds it may have missed their new text.
  useEffect(() => {
    if (onlyReading) onReading();
  }, [onlyReading, onReading]);
  // The lock is ours (again): anything a refusal held back goes now.
  useEffect(() => {
    if (lock?.held) resume();
  }, [lock, resume]);

  // Switch user: what this person typed is saved as theirs, then the lock is let go so
  // the next person is not locked out by it. Unsaved text (offline, refused) stays in
  // the window's storage for them, and the lock with it until it lapses.
  useEffect(() => {
    if (!beforeSwitch) return;
    beforeSwitch.current = async () => {
      if (await finish()) await letGo();
    };
    return () => {
      beforeSwitch.current = null;
    };
  }, [beforeSwitch, finish, letGo]);

  /**
   * The revision holding the text on this screen, which Approve and Request changes
   * name: the one it opened on, unless this window has saved edits since or no
   * revision held that text yet — then a version is kept of exactly that text (the
   * back end refuses if someone else has saved since, and the step is not taken).
   */
  const reviewedRevision = useCallback(async () => {
    await flush();
    if (version.current === record.version && record.revisionId) return record.revisionId;
    const kept = await client.call('revisions.checkpoint', { documentId: record.id, version: version.current, note: 'The version read for review' });
    return kept.id;
  }, [client, flush, version, record.id, record.version, record.revisionId]);

  // A recovered copy differs from what the back end holds: send it at once.
  useEffect(() => {
    if (recovered) changed();
  }, [recovered, changed]);

  const cancelCount = useRef<(() => void) | null>(null);
  const onBodyChange = useCallback(
    (editor: Editor) => {
      changed();
      // Counting walks the whole text; do it once typing pauses, not per keystroke,
      // and when the window is idle (see afterIdle).
      cancelCount.current?.();
      cancelCount.current = afterIdle(
        () => {
          const text = editor.getText();
          setWords(countWords(text));
          setBodyText(text);
        },
        { delayMs: 250, deadlineMs: 500 },
      );
    },
    [changed],
  );
  const [editorReady, setEditorReady] = useState<Editor | null>(null);
  const onReady = useCallback((editor: Editor) => {
    editorRef.current = editor;
    setEditorReady(editor);
  }, []);

  // House style: the holder is fixed for the editor's life; rules arrive when loaded.
  const style = useStyle(client);
  const [issues, setIssues] = useState<DocIssue[]>([]);
  const styleHolder = useRef<StyleHolder>({ rules: null, onIssues: setIssues }).current;
  useEffect(() => {
    if (style && styleHolder.rules !== style.rules) {
      styleHolder.rules = style.rules;
      styleHolder.refresh?.();
    }
  }, [style, styleHolder]);

  const setField = <F extends DocumentContent['fields']>(patch: Partial<F>) => {
    const next = { ...fieldsRef.current, ...patch } as DocumentContent['fields'];
    fieldsRef.current = next;
    setFields(next);
    changed();
  };

  const trash = async () => {
    try {
      await flush();
      await client.call('documents.trash', { id: record.id });
      onClosed();
    } catch (e) {
      setActionError(describeError(e));
    }
  };

  const [showHistory, setShowHistory] = useState(false);
  const [initialCompare, setInitialCompare] = useState<{ fromId: string; toId: string } | null>(null);

  // The review view: an editor opening a submitted document sees what changed since
  // they last approved or sent it back (or since it was first submitted).
  useEffect(() => {
    if (person.role !== 'editor' || record.status !== 'submitted') return;
    let live = true;
    client.call('workflow.events', { documentId: record.id }).then((events) => {
      const submits = events.filter((e) => e.action === 'submit' && e.revisionId);
      const latest = submits[0]?.revisionId;
      const reviewed = events.find((e) => e.actorId === person.id && (e.action === 'approve' || e.action === 'requestChanges') && e.revisionId);
      const from = reviewed?.revisionId ?? submits.at(-1)?.revisionId;
      if (live && latest && from && from !== latest) {
        setInitialCompare({ fromId: from, toId: latest });
        setShowHistory(true);
      }
    }, () => {});
    return () => {
      live = false;
    };
  }, [client, person.id, person.role, record.id, record.status]);
  const [note, setNote] = useState('');
  const [versionMessage, setVersionMessage] = useState<string | null>(null);
  const saveVersion = useCallback(async () => {
    try {
      setActionError(null);
      await flush();
      const revision = await client.call('revisions.checkpoint', { documentId: record.id, ...(note.trim() ? { note } : {}) });
      setNote('');
      setVersionMessage(`Version saved${revision.note ? `: “${revision.note}”` : ''}`);
    } catch (e) {
      setActionError(describeError(e));
    }
  }, [client, flush, note, record.id]);

  // Ctrl/Cmd+S saves a version, as in every editor people already use.
  useEffect(() => {
    if (!editable) return;
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 's') {
        e.preventDefault();
        void saveVersion();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [editable, saveVersion]);

  const restore = async (revisionId: string) => {
    await flush();
    onReplaced(await client.call('revisions.restore', { documentId: record.id, revisionId }));
  };

  const bodyLabel = BODY_LABELS[record.kind];
  return (
    <div className={showHistory ? 'document-layout with-history' : 'document-layout'}>
    <article className="document" aria-label={`${KIND_LABELS[record.kind]} editor`}>
      <DocumentHeading kind={record.kind} fields={fields} captionText={bodyText} />
      <div className="status-line" role="status">
        <span className="kind-badge">{KIND_LABELS[record.kind]}</span>
        <span>{STATUS_LABELS[record.status]}</span>
        <SaveStateLabel store={saveState} />
        {!editable && (
          <span className="readonly-note">
            Read only: {record.trashedAt ? 'in the trash' : !mayEdit ? 'you may not edit this' : `${lock?.holderName ?? 'someone else'} is editing it`}
          </span>
        )}
      </div>
      {mayEdit && lock && !lock.held && (
        <p className="banner notice" role="note">
          {lock.elsewhere ? 'You are editing this in another window.' : `${lock.holderName} is editing this now.`} You can read it here;
          changes in two places would clash.{' '}
          {(person.role === 'editor' || lock.elsewhere) && (
            <button
              type="button"
              onClick={async () => {
                try {
                  await client.call('locks.takeOver', { documentId: record.id, session });
                  const fresh = await client.call('documents.get', { id: record.id });
                  // Nothing saved since this window's text: keep it (and send what a
                  // refusal held back). Otherwise reopen on what the holder last saved
                  // (kept as a revision, too).
                  if (fresh.version === version.current) checkLock();
                  else onReplaced(fresh);
                } catch (e) {
                  setActionError(describeError(e));
                }
              }}
            >
              Take over
            </button>
          )}
        </p>
      )}
      {recovered && <RecoveredNote store={saveState} />}
      <div className="version-bar">
        {editable && (
          <>
            <label className="version-note">
              Version note
              <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} placeholder="Optional" />
            </label>
            <button type="button" onClick={saveVersion} title="Save version (Ctrl+S)" aria-keyshortcuts="Control+S Meta+S">
              Save version
            </button>
          </>
        )}
        <button type="button" aria-expanded={showHistory} onClick={() => setShowHistory((v) => !v)}>
          History
        </button>
        <span aria-live="polite" className="version-message">
          {versionMessage}
        </span>
      </div>
      <WorkflowBar
        record={record}
        person={person}
        beforeAction={flush}
        reviewedRevision={reviewedRevision}
        onChanged={onReplaced}
        onOpen={onOpen}
        onCompareWithApproved={() => {
          if (record.approvedRevisionId) setInitialCompare({ fromId: record.approvedRevisionId, toId: 'working' });
          setShowHistory(true);
        }}
        onCompareSince={(revisionId) => {
          setInitialCompare({ fromId: revisionId, toId: 'working' });
          setShowHistory(true);
        }}
      />
      <PublishingPanel documentId={record.id} person={person} kind={record.kind} />
      {actionError && (
        <p role="alert" className="error">
          {actionError}
        </p>
      )}
      {record.kind === 'article' && (
        <ArticleForm
          id={record.id}
          fields={fields as ArticleFields}
          set={setField<ArticleFields>}
          readOnly={!editable}
          headlineProblem={style ? headlineIssue((fields as ArticleFields).headline, style.config) : null}
        />
      )}
      {record.kind === 'caption' && (
        <CaptionForm
          fields={fields as CaptionFields}
          set={setField<CaptionFields>}
          readOnly={!editable}
          captionText={bodyText}
          onPhoto={async (asset) => {
            // Attached in the back end (fields the desk wrote are kept, empty ones filled
            // from the photo), then the editor reopens on the result.
            try {
              await flush();
              onReplaced(await client.call('captions.attachPhoto', { documentId: record.id, sha256: asset.sha256 }));
            } catch (e) {
              setActionError(describeError(e));
            }
          }}
        />
      )}
      {record.kind === 'bio' && <BioForm fields={fields as BioFields} set={setField<BioFields>} readOnly={!editable} />}
      <div className="body-field">
        <span className="field-label" aria-hidden="true">
          {bodyLabel}
        </span>
        <RichTextEditor
          label={bodyLabel}
          initial={initial.body}
          editable={editable}
          full={record.kind === 'article'}
          onChange={onBodyChange}
          onReady={onReady}
          style={styleHolder}
        />
        <Counts kind={record.kind} words={words} budget={record.kind === 'article' ? (fields as ArticleFields).wordBudget : BIO_WORD_BUDGET} />
        <HouseStylePanel issues={issues} editor={editorReady} problems={style?.problems ?? []} />
        <CommentsPanel documentId={record.id} editor={editorReady} beforeComment={flush} />
      </div>
      <footer className="document-actions">
        {person.role === 'editor' && <AssignControl id={record.id} assigneeId={record.assigneeId} />}
        {editable && (
          <button type="button" className="danger" onClick={trash}>
            Move to trash
          </button>
        )}
      </footer>
    </article>
    {showHistory && (
      <HistoryPanel
        documentId={record.id}
        bodyLabel={bodyLabel}
        canRestore={editable}
        onRestore={restore}
        initialCompare={initialCompare ? { ...initialCompare, beforeCompare: flush } : undefined}
      />
    )}
    </div>
  );
}

