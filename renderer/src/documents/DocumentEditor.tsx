import type { Editor } from '@tiptap/core';
import { useCallback, useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore, type MutableRefObject } from 'react';
import {
  BIO_WORD_BUDGET,
  BODY_LABELS,
  EMAIL_PATTERN,
  budgetState,
  readingMinutes,
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
import { countWords, plainText, type RichNode } from '../../../shared/richtext.ts';
import { slugify } from '../../../shared/slug.ts';
import { useClient, useEvent } from '../api/context.tsx';
import { HouseStylePanel } from '../editor/HouseStylePanel.tsx';
import { bodyJson } from '../editor/bodyJson.ts';
import { commentsKey } from '../editor/comments.ts';
import { CommentsPanel } from './CommentsPanel.tsx';
import type { DocIssue, StyleHolder } from '../editor/houseStyle.ts';
import { RichTextEditor } from '../editor/RichTextEditor.tsx';
import { useStyle } from '../editor/useStyle.ts';
import { headlineIssue } from '../../../shared/style/houseStyle.ts';
import { describeError } from '../errors.ts';
import { afterIdle } from '../idle.ts';
import { checkCaption } from '../../../shared/captionChecks.ts';
import type { Asset } from '../../../shared/photos.ts';
import { PhotoArea } from '../assets/PhotoArea.tsx';
import { HistoryPanel } from '../history/HistoryPanel.tsx';
import { WorkflowBar } from '../workflow/WorkflowBar.tsx';
import { PublishingPanel } from '../publishing/PublishingPanel.tsx';
import { AssignControl } from './AssignControl.tsx';
import { ListField, TextField } from './fields.tsx';
import { saveStateText, takeBackup, useWorkingCopy, type SaveStateStore } from './useWorkingCopy.ts';

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

type LockState = { held: boolean; holderName: string; since: number; elsewhere: boolean };

/**
 * Holds the document's edit lock while this editor is open (checking in every 30 s),
 * notices when someone takes it over, and lets go on close. `let go` releases it before
 * the editor closes (Switch user) and stops checking in, so no check-in in between
 * takes it back in the name of the person leaving.
 */
function useLock(documentId: string, session: string, mayEdit: boolean) {
  const client = useClient();
  const [lock, setLock] = useState<LockState | null>(null);
  const gone = useRef(false);
  const check = useCallback(() => {
    if (!mayEdit || gone.current) return;
    client.call('locks.acquire', { documentId, session }).then((l) => !gone.current && setLock(l), () => {});
  }, [client, documentId, session, mayEdit]);
  const letGo = useCallback(async () => {
    gone.current = true;
    if (mayEdit) await client.call('locks.release', { documentId, session });
  }, [client, documentId, session, mayEdit]);
  useEffect(() => {
    if (!mayEdit) return;
    // Opening claims it (from this person's other window, too); later checks only look.
    client.call('locks.acquire', { documentId, session, claim: true }).then((l) => !gone.current && setLock(l), () => {});
    const timer = setInterval(check, 30_000);
    return () => {
      clearInterval(timer);
      if (!gone.current) void client.call('locks.release', { documentId, session }).catch(() => {});
    };
  }, [client, documentId, session, mayEdit, check]);
  useEvent(
    'documents.changed',
    useCallback((p) => p.id === documentId && p.session !== session && check(), [documentId, session, check]),
  );
  return { lock, check, letGo };
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

type FormProps<F> = { fields: F; set: (patch: Partial<F>) => void; readOnly: boolean };

/** The body's word count, reading time and budget, coloured as the budget nears. */
function Counts({ kind, words, budget }: { kind: DocumentRecord['kind']; words: number; budget: number | null }) {
  const state = budgetState(words, budget);
  const wordText = words === 1 ? '1 word' : `${words} words`;
  return (
    <p className={`counts budget-${state}`}>
      <span>{wordText}</span>
      {budget !== null && (
        <span className="budget">
          {' '}
          of {budget}
          {state === 'over' ? ` — ${words - budget} over budget` : state === 'near' ? ' — nearly at budget' : ''}
        </span>
      )}
      {kind === 'article' && words > 0 && <span> · {readingMinutes(words)} min read</span>}
    </p>
  );
}

const chars = (s: string) => [...s].length;
const charText = (n: number) => (n === 1 ? '1 character' : `${n} characters`);

function ArticleForm({ id, fields, set, readOnly, headlineProblem }: FormProps<ArticleFields> & { id: string; headlineProblem: string | null }) {
  const client = useClient();
  const [bios, setBios] = useState<string[]>([]);
  const [slugTaken, setSlugTaken] = useState<string | null>(null);
  useEffect(() => {
    client.call('documents.list', { kind: 'bio' }).then((list) => setBios(list.map((b) => b.title).filter(Boolean)), () => setBios([]));
  }, [client]);
  useEffect(() => {
    if (!fields.slug) {
      setSlugTaken(null);
      return;
    }
    const timer = setTimeout(() => {
      client.call('documents.slugCheck', { slug: fields.slug, exceptId: id }).then(
        (r) => setSlugTaken(r.takenBy ? r.takenBy.title || 'another story' : null),
        () => setSlugTaken(null),
      );
    }, 300);
    return () => clearTimeout(timer);
  }, [client, fields.slug, id]);

  const slugProblem =
    fields.slug && fields.slug !== slugify(fields.slug)
      ? 'Use lower-case letters, digits and hyphens'
      : slugTaken
        ? `Already used by “${slugTaken}”: choose another slug`
        : null;
  return (
    <div className="fields">
      <TextField
        label="Headline"
        value={fields.headline}
        readOnly={readOnly}
        multiline
        hint={charText(chars(fields.headline))}
        problem={headlineProblem}
        onChange={(headline) => {
          // The slug follows the headline until someone edits it by hand.
          const follows = fields.slug === '' || fields.slug === slugify(fields.headline);
          set(follows ? { headline, slug: slugify(headline) } : { headline });
        }}
      />
      <TextField label="Dek" value={fields.dek} readOnly={readOnly} multiline hint={charText(chars(fields.dek))} onChange={(dek) => set({ dek })} />
      <TextField label="Slug" value={fields.slug} readOnly={readOnly} onChange={(slug) => set({ slug })} problem={slugProblem} />
      <TextField
        label="Byline"
        value={fields.byline}
        readOnly={readOnly}
        list="byline-bios"
        hint="Names from the bios, or anyone; separate several with commas"
        onChange={(byline) => set({ byline })}
      />
      <datalist id="byline-bios">
        {bios.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
      <TextField label="Section" value={fields.section} readOnly={readOnly} onChange={(section) => set({ section })} />
      <ListField label="Tags" value={fields.tags} readOnly={readOnly} onChange={(tags) => set({ tags })} />
      <TextField
        label="Contributor line"
        value={fields.contributorLine}
        readOnly={readOnly}
        onChange={(contributorLine) => set({ contributorLine })}
      />
      <TextField
        label="Word budget"
        type="number"
        value={fields.wordBudget === null ? '' : String(fields.wordBudget)}
        readOnly={readOnly}
        hint="Optional: how many words the desk has room for"
        onChange={(v) => {
          const n = Number.parseInt(v, 10);
          set({ wordBudget: Number.isFinite(n) && n > 0 ? Math.min(n, 100_000) : null });
        }}
      />
    </div>
  );
}

function CaptionForm({
  fields,
  set,
  readOnly,
  captionText,
  onPhoto,
}: FormProps<CaptionFields> & { captionText: string; onPhoto: (asset: Asset) => void }) {
  const checks = checkCaption({ fields, caption: captionText, hasPhoto: Boolean(fields.photo) });
  return (
    <>
    <PhotoArea sha256={fields.photo} alt={fields.altText} editable={!readOnly} onImported={onPhoto} />
    <section className="checks" aria-labelledby="checks-title">
      <h3 id="checks-title">Checks</h3>
      {checks.length ? (
        <ul aria-label="Checks">
          {checks.map((c) => (
            <li key={c.id} data-check={c.id}>
              {c.message}
            </li>
          ))}
        </ul>
      ) : (
        <p className="ok">All checks pass.</p>
      )}
    </section>
    <div className="fields">
      <TextField label="Credit" value={fields.credit} readOnly={readOnly} onChange={(credit) => set({ credit })} />
      <TextField label="Photographer" value={fields.photographer} readOnly={readOnly} onChange={(photographer) => set({ photographer })} />
      <TextField label="Copyright" value={fields.copyright} readOnly={readOnly} onChange={(copyright) => set({ copyright })} />
      <TextField label="Alt text" value={fields.altText} readOnly={readOnly} multiline onChange={(altText) => set({ altText })} />
      <TextField label="Date taken" value={fields.dateTaken} readOnly={readOnly} onChange={(dateTaken) => set({ dateTaken })} />
      <TextField label="Location" value={fields.location} readOnly={readOnly} onChange={(location) => set({ location })} />
    </div>
    </>
  );
}

function BioForm({ fields, set, readOnly }: FormProps<BioFields>) {
  const emailProblem =
    fields.email && !EMAIL_PATTERN.test(fields.email) ? 'Enter an email address like name@example.org' : null;
  return (
    <div className="fields">
      <TextField label="Name" value={fields.name} readOnly={readOnly} onChange={(name) => set({ name })} />
      <TextField label="Title" value={fields.title} readOnly={readOnly} onChange={(title) => set({ title })} />
      <TextField
        label="Email"
        type="email"
        value={fields.email}
        readOnly={readOnly}
        onChange={(email) => set({ email })}
        problem={emailProblem}
      />
      <ListField label="Languages" value={fields.languages} readOnly={readOnly} onChange={(languages) => set({ languages })} />
      <ListField
        label="Social handles"
        value={fields.socials}
        readOnly={readOnly}
        hint="e.g. @lenaortiz@photog.example; separate with commas"
        onChange={(socials) => set({ socials })}
      />
      <div className="field headshot">
        <span className="field-label">Headshot (optional)</span>
        <PhotoArea sha256={fields.headshot} alt={fields.name ? `${fields.name}, headshot` : 'Headshot'} editable={!readOnly} onImported={(asset) => set({ headshot: asset.sha256 })} />
      </div>
    </div>
  );
}

/** Says what became of recovered changes, as it happens: never "being saved" when they are not. */
function RecoveredNote({ store }: { store: SaveStateStore }) {
  const state = useSyncExternalStore(store.subscribe, store.get);
  const what =
    state.kind === 'saved'
      ? 'they are saved.'
      : state.kind === 'saving'
        ? 'they are being saved now.'
        : state.kind === 'offline'
          ? 'they are kept here and saved when the back end is back.'
          : state.kind === 'disk-full'
            ? 'they are kept here and saved once there is room on the disk.'
            : state.locked
            ? 'they are kept here and saved when you can edit it again.'
            : 'they are kept here but could not be saved (see above).';
  return (
    <p className="banner notice" role="note">
      Recovered changes from this window that had not reached the back end; {what}
    </p>
  );
}

/**
 * "Saved" turns into "Saving…" on the first keystroke after every pause. As a React
 * render that commit cost about 1 ms inside that keystroke (React walks the form to
 * find the one changed label), so the label writes its own text: a few microseconds,
 * and still at once, so "Saved" never shows over unsaved text.
 */
function SaveStateLabel({ store }: { store: SaveStateStore }) {
  const ref = useRef<HTMLSpanElement>(null);
  useLayoutEffect(() => {
    const show = () => {
      const state = store.get();
      const el = ref.current;
      if (!el) return;
      el.className = `save-state ${state.kind}`;
      el.textContent = saveStateText(state);
    };
    show();
    return store.subscribe(show);
  }, [store]);
  return <span ref={ref} />;
}
