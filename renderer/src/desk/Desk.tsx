import { useCallback, useEffect, useRef, useState } from 'react';
import {
  DOCUMENT_KINDS,
  KIND_LABELS,
  STATUSES,
  STATUS_LABELS,
  type DocumentKind,
  type DocumentSummary,
  type SearchHits,
  type Status,
} from '../../../shared/documents.ts';
import type { Person } from '../../../shared/people.ts';
import { canCreate } from '../../../shared/permissions.ts';
import { useClient, useEvent } from '../api/context.tsx';
import { describeError } from '../errors.ts';
import { ImportTextDialog } from '../imports/ImportTextDialog.tsx';
import { whenChanged } from '../time.ts';
import { ReviewQueue } from './ReviewQueue.tsx';

/** Search matches as text with the matched words marked; never HTML from the index. */
function Hits({ hits }: { hits: SearchHits }) {
  return (
    <>
      {hits.map((h, i) => (h.hit ? <mark key={i}>{h.text}</mark> : <span key={i}>{h.text}</span>))}
    </>
  );
}

/**
 * A working-copy save changes only a title, a count or a time in the list: those reach
 * the desk once typing pauses, so a long story's saves (every 2 s while someone types)
 * do not also re-list the desk under their keystrokes.
 */
const AFTER_SAVE_MS = 2_500;

export function untitled(kind: DocumentKind): string {
  return kind === 'bio' ? 'Unnamed bio' : kind === 'caption' ? 'Caption without text' : 'Untitled article';
}

export function Desk({
  person,
  openId,
  onOpen,
  onCreate,
}: {
  person: Person;
  openId: string | null;
  onOpen: (id: string) => void;
  onCreate: (kind: DocumentKind) => void;
}) {
  const [importing, setImporting] = useState(false);
  // Kept for the window's life per person: Switch user and back finds it as it was.
  const queueKey = `galley.reviewQueueOpen.${person.id}`;
  const [queueOpen, setQueueOpenState] = useState(() => sessionStorage.getItem(queueKey) === '1');
  const setQueueOpen = (update: (open: boolean) => boolean) =>
    setQueueOpenState((open) => {
      const next = update(open);
      sessionStorage.setItem(queueKey, next ? '1' : '0');
      return next;
    });
  const [waiting, setWaiting] = useState(0);
  const client = useClient();
  const [docs, setDocs] = useState<DocumentSummary[] | null>(null);
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState<Status | ''>('');
  const [kind, setKind] = useState<DocumentKind | ''>('');
  const [trashed, setTrashed] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    client
      .call('documents.list', {
        ...(status ? { status } : {}),
        ...(kind ? { kind } : {}),
        ...(query.trim() ? { query } : {}),
        trashed,
      })
      .then((list) => {
        setDocs(list);
        setError(null);
      })
      .catch((e: unknown) => setError(describeError(e)));
    if (person.role === 'editor') {
      client.call('documents.list', { status: 'submitted' }).then((list) => setWaiting(list.length), () => setWaiting(0));
    }
  }, [client, status, kind, query, trashed, person.role]);

  useEffect(() => {
    const timer = setTimeout(load, query ? 150 : 0);
    return () => clearTimeout(timer);
  }, [load, query]);
  const afterSave = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(afterSave.current), []);
  useEvent(
    'documents.changed',
    useCallback(
      (p) => {
        clearTimeout(afterSave.current);
        if (p.session === undefined) load();
        else afterSave.current = setTimeout(load, AFTER_SAVE_MS);
      },
      [load],
    ),
  );

  const restore = async (id: string) => {
    try {
      await client.call('documents.restore', { id });
    } catch (e) {
      setError(describeError(e));
    }
  };

  const filtered = Boolean(query.trim() || status || kind);
  return (
    <nav className="desk" aria-label="Desk">
      <div className="new-buttons">
        {DOCUMENT_KINDS.filter((k) => canCreate(person.role, k)).map((k) => (
          <button type="button" key={k} onClick={() => onCreate(k)}>
            New {KIND_LABELS[k].toLowerCase()}
          </button>
        ))}
        {person.role !== 'photo_desk' && (
          <button type="button" onClick={() => setImporting(true)}>
            Import text
          </button>
        )}
        {person.role === 'editor' && (
          <button
            type="button"
            aria-pressed={queueOpen}
            aria-label={`Review queue, ${waiting} waiting`}
            onClick={() => setQueueOpen((v) => !v)}
          >
            Review queue <span className="badge">{waiting}</span>
          </button>
        )}
      </div>
      {importing && <ImportTextDialog onClose={() => setImporting(false)} onCreated={(id) => onOpen(id)} />}
      {queueOpen && person.role === 'editor' && <ReviewQueue openId={openId} onOpen={onOpen} />}
      <input
        type="search"
        aria-label="Search stories"
        placeholder="Search stories"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      <div className="filters">
        <label>
          Status
          <select value={status} onChange={(e) => setStatus(e.target.value as Status | '')}>
            <option value="">All</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Kind
          <select value={kind} onChange={(e) => setKind(e.target.value as DocumentKind | '')}>
            <option value="">All</option>
            {DOCUMENT_KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          <input type="checkbox" checked={trashed} onChange={(e) => setTrashed(e.target.checked)} />
          Show trash
        </label>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <ul aria-label="Stories" className="stories">
        {docs?.map((d) => (
          <li key={d.id} className={d.id === openId ? 'current' : undefined}>
            <button
              type="button"
              className="story"
              onClick={() => onOpen(d.id)}
              aria-current={d.id === openId ? 'true' : undefined}
              disabled={trashed}
            >
              <span className="kind">{KIND_LABELS[d.kind]}</span>
              <span className="title">{d.match && d.title ? <Hits hits={d.match.title} /> : d.title || untitled(d.kind)}</span>
              {d.match && d.match.snippet.some((h) => h.hit) && (
                <span className="snippet">
                  <Hits hits={d.match.snippet} />
                </span>
              )}
              <span className="meta">
                {STATUS_LABELS[d.status]} · {d.assigneeName ?? d.ownerName} · {whenChanged(d.updatedAt)}
              </span>
            </button>
            {trashed && (
              <button type="button" onClick={() => restore(d.id)} aria-label={`Restore ${d.title || untitled(d.kind)}`}>
                Restore
              </button>
            )}
          </li>
        ))}
      </ul>
      {docs && docs.length === 0 && (
        <p className="empty-state">
          {trashed
            ? 'The trash is empty.'
            : filtered
              ? 'No stories match. Clear the search or filters to see everything.'
              : 'No stories yet. Start one with the buttons above.'}
        </p>
      )}
    </nav>
  );
}
