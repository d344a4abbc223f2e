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
import { ReviewMode } from '../workflow/ReviewMode.tsx';
import { WorkflowBar } from '../workflow/WorkflowBar.tsx';
import { PublishingPanel } from '../publishing/PublishingPanel.tsx';
import { AssignControl } from './AssignControl.tsx';
import { CommentsPanel } from './CommentsPanel.tsx';
import { ArticleForm, BioForm, CaptionForm, Counts, type CaptionPart, type FormPart } from './forms.tsx';
import { DocumentHeading } from './DocumentHeading.tsx';
import { RecoveredNote, SaveStateLabel } from './SaveState.tsx';
import { useLock } from './useLock.ts';
import type { RevisionSummary } from '../../../shared/revisions.ts';
import { showUndo } from '../UndoNotice.tsx';
import { whenShort } from '../time.ts';
import { takeBackup, useWorkingCopy } from './useWorkingCopy.ts';

type Loaded = { record: DocumentRecord; initial: DocumentContent; recovered: boolean };

/** The side panel's name (a complementary region): everything about the story but its words. */
export const STORY_SETTINGS = 'Story settings';

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

  // Set once this opening has put the focus in the story (see LoadedEditor).
  const focusedOnOpen = useRef(false);

  // Whether this window only reads the story (someone else holds it, or this person may
  // not edit it) and so holds nothing of its own: set by the editor below.
  const reading = useRef(false);

  // Restore this version, and its Undo: the Undo notice outlives the editor it came from
  // (a restore starts a fresh one), so it saves whatever editor is open now, then restores.
  const flushOpen = useRef<(() => Promise<void>) | null>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const restoreNow = useCallback(
    async (revisionId: string) => {
      await flushOpen.current?.();
      const record = await client.call('revisions.restore', { documentId: id, revisionId });
      if (mounted.current) setLoaded({ record, initial: record.content, recovered: false });
    },
    [client, id],
  );

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
      focusedOnOpen={focusedOnOpen}
      onReading={refresh}
      onClosed={onClosed}
      onOpen={onOpen}
      onReplaced={(record) => setLoaded({ record, initial: record.content, recovered: false })}
      flushOpen={flushOpen}
      restoreNow={restoreNow}
    />
  );
}

/** Whether the focus is somewhere a person types (a field, the search box, an editor). */
function isTextEntry(el: Element | null): boolean {
  if (!el || el === document.body) return false;
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  if (el instanceof HTMLInputElement) return !['button', 'submit', 'checkbox', 'radio', 'file'].includes(el.type);
  return el instanceof HTMLElement && el.isContentEditable;
}

type EditorProps = Loaded & {
  session: string;
  person: Person;
  beforeSwitch: BeforeSwitch | undefined;
  /** Set while this window only reads (see DocumentEditor): it may take new text. */
  reading: { current: boolean };
  /** Whether this opening has already put the focus in the story. */
  focusedOnOpen: { current: boolean };
  /** The window just turned to only reading: take a newer revision that came meanwhile. */
  onReading: () => void;
  onClosed: () => void;
  onOpen: (id: string) => void;
  onReplaced: (record: DocumentRecord) => void;
  flushOpen: MutableRefObject<(() => Promise<void>) | null>;
  restoreNow: (revisionId: string) => Promise<void>;
};

function LoadedEditor({ record, initial, recovered, session, person, beforeSwitch, reading, focusedOnOpen, onReading, onClosed, onOpen, onReplaced, flushOpen, restoreNow }: EditorProps) {
  const client = useClient();
  const mayEdit = canEdit(person, record) && record.trashedAt === null;
  const { lock, check: checkLock, letGo } = useLock(record.id, session, mayEdit);
  const [fields, setFields] = useState<DocumentContent['fields']>(initial.fields);
  const fieldsRef = useRef(fields);
  const editorRef = useRef<Editor | null>(null);
  // Set by the Slug box's Unlock slug: this window's saves may change a live slug.
  const slugUnlocked = useRef(false);
  const [words, setWords] = useState(() => countWords(plainText(initial.body)));
  const [bodyText, setBodyText] = useState(() => plainText(initial.body));
  const [actionError, setActionError] = useState<string | null>(null);

  const read = useCallback(() => {
    const editor = editorRef.current;
    return {
      fields: fieldsRef.current,
      body: editor ? bodyJson(editor.state.doc) : initial.body,
      anchors: editor ? commentsKey.getState(editor.state)?.anchors : undefined,
      unlockSlug: slugUnlocked.current,
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

  // Focus on opening: an empty Headline (a new article) or Name (a new bio) first, else
  // the body. Once per opening (not again when a restore or a workflow step reopens the
  // editor), and never taken from a person who has already started typing somewhere.
  // Focusing only moves the caret: it does not touch the editor's content.
  const storyRef = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!editorReady || focusedOnOpen.current) return;
    focusedOnOpen.current = true;
    if (!editable || isTextEntry(document.activeElement)) return;
    const empty =
      record.kind === 'article' ? !(fieldsRef.current as ArticleFields).headline : record.kind === 'bio' ? !(fieldsRef.current as BioFields).name : false;
    const field = empty ? storyRef.current?.querySelector<HTMLElement>(record.kind === 'article' ? '#field-headline' : '#field-name') : null;
    if (field) field.focus();
    else editorReady.view.focus();
  }, [editorReady, editable, focusedOnOpen, record.kind]);

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

  useEffect(() => {
    flushOpen.current = flush;
    return () => {
      if (flushOpen.current === flush) flushOpen.current = null;
    };
  }, [flush, flushOpen]);

  const trash = async () => {
    try {
      await flush();
      const trashed = await client.call('documents.trash', { id: record.id });
      const title = trashed.title || `Untitled ${KIND_LABELS[record.kind].toLowerCase()}`;
      showUndo({
        message: `Moved “${title}” to the trash.`,
        undo: async () => {
          await client.call('documents.restore', { id: record.id });
          return `“${title}” is back on the desk.`;
        },
      });
      onClosed();
    } catch (e) {
      setActionError(describeError(e));
    }
  };

  const [showHistory, setShowHistory] = useState(false);
  // The History button brings History into view (the side panel may be scrolled down);
  // opened for a review, it does not move the page away from the story's top.
  const sideRef = useRef<HTMLDivElement>(null);
  const historyAsked = useRef(false);
  useEffect(() => {
    if (showHistory && historyAsked.current) sideRef.current?.querySelector('.history')?.scrollIntoView({ block: 'nearest' });
    historyAsked.current = false;
  }, [showHistory]);
  const [initialCompare, setInitialCompare] = useState<{ fromId: string; toId: string } | null>(null);

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

  const restore = async (chosen: RevisionSummary) => {
    await flush();
    await restoreNow(chosen.id);
    // The restore's parent is the version that was current before (the back end keeps
    // unsaved text as one first): Undo restores it, another restore, nothing rewritten.
    const [head] = await client.call('revisions.list', { documentId: record.id });
    const before = head?.label === 'restored' ? head.parentId : null;
    showUndo({
      message: `Restored the version of ${whenShort(chosen.createdAt)} by ${chosen.authorName}.`,
      ...(before
        ? {
            undo: async () => {
              await restoreNow(before);
              return 'Restore undone: the text is as it was before.';
            },
          }
        : {}),
    });
  };

  const bodyLabel = BODY_LABELS[record.kind];
  const caption = (part: CaptionPart) => (
    <CaptionForm
      part={part}
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
  );
  const article = (part: FormPart) => (
    <ArticleForm
      part={part}
      id={record.id}
      fields={fields as ArticleFields}
      set={setField<ArticleFields>}
      readOnly={!editable}
      slugUnlocked={slugUnlocked}
      headlineProblem={style ? headlineIssue((fields as ArticleFields).headline, style.config) : null}
    />
  );
  // Content first (as in WordPress's and Ghost's editors): the story's own words lead the
  // page; workflow, versions, metadata, checks and publishing sit in the side panel.
  return (
    <div className={showHistory ? 'document-layout with-history' : 'document-layout'}>
    <article className="document" aria-label={`${KIND_LABELS[record.kind]} editor`} ref={storyRef}>
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
      {actionError && (
        <p role="alert" className="error">
          {actionError}
        </p>
      )}
      <ReviewMode record={record} person={person} bodyLabel={bodyLabel} beforeCompare={flush} />
      {record.kind === 'article' && article('lead')}
      {record.kind === 'caption' && caption('photo')}
      {record.kind === 'bio' && <BioForm part="lead" fields={fields as BioFields} set={setField<BioFields>} readOnly={!editable} />}
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
          suggest={record.kind === 'article' ? { id: person.id, name: person.name, mayToggle: person.role === 'editor' } : undefined}
        />
        <Counts kind={record.kind} words={words} budget={record.kind === 'article' ? (fields as ArticleFields).wordBudget : BIO_WORD_BUDGET} />
        {record.kind === 'caption' && caption('fields')}
        <CommentsPanel documentId={record.id} editor={editorReady} beforeComment={flush} />
      </div>
    </article>
    <div className="document-side" ref={sideRef}>
    {/* History, when open, heads the side panel: it is what the person just asked for (or,
        for an editor reviewing, what changed), with Story settings below it. */}
    {showHistory && (
      <>
      <button type="button" className="secondary close-history" onClick={() => setShowHistory(false)}>
        Close history
      </button>
      <HistoryPanel
        documentId={record.id}
        bodyLabel={bodyLabel}
        canRestore={editable}
        onRestore={restore}
        initialCompare={initialCompare ? { ...initialCompare, beforeCompare: flush } : undefined}
      />
      </>
    )}
    <aside className="story-settings" aria-label={STORY_SETTINGS}>
      <h2 className="side-title">{STORY_SETTINGS}</h2>
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
        <button
          type="button"
          aria-expanded={showHistory}
          onClick={() => {
            historyAsked.current = !showHistory;
            setShowHistory((v) => !v);
          }}
        >
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
      {record.kind === 'article' && article('meta')}
      {record.kind === 'caption' && caption('checks')}
      {record.kind === 'bio' && <BioForm part="meta" fields={fields as BioFields} set={setField<BioFields>} readOnly={!editable} />}
      <HouseStylePanel issues={issues} editor={editorReady} problems={style?.problems ?? []} content={{ kind: record.kind, fields }} rules={style?.rules ?? null} setFields={setField} />
      <PublishingPanel documentId={record.id} person={person} kind={record.kind} />
      <footer className="document-actions">
        {person.role === 'editor' && <AssignControl id={record.id} assigneeId={record.assigneeId} />}
        {editable && (
          <button type="button" className="danger" onClick={trash}>
            Move to trash
          </button>
        )}
      </footer>
    </aside>
    </div>
    </div>
  );
}

