import type { ReactNode } from 'react';
import { REVISION_LABEL_TEXT, type Redline, type RedlineBlock, type RedlineSegment } from '../../../shared/revisions.ts';
import { describeSuggestion } from '../../../shared/editor/suggestions.ts';
import { whenExactly } from '../time.ts';

/** Renders text as text: a redline never builds HTML from stored content. */
function Segment({ segment }: { segment: RedlineSegment }) {
  let node: ReactNode = segment.text;
  for (const mark of segment.marks ?? []) {
    if (mark === 'bold') node = <strong>{node}</strong>;
    else if (mark === 'italic') node = <em>{node}</em>;
    else if (mark === 'underline') node = <u>{node}</u>;
    else if (mark === 'strike') node = <s>{node}</s>;
    else if (mark === 'link') node = <span className="link" title={segment.href}>{node}</span>;
    else if (mark === 'atom') node = <span className="atom">{node}</span>;
  }
  if (segment.suggestion) node = <SuggestedText suggestion={segment.suggestion}>{node}</SuggestedText>;
  if (segment.op === 'ins') return <ins>{node}</ins>;
  if (segment.op === 'del') return <del>{node}</del>;
  return <>{node}</>;
}

/**
 * A suggested edit inside a version: said in words (the label is read out and shown),
 * so it is not mistaken for the redline's own insertions and deletions between versions.
 */
function SuggestedText({ suggestion, children }: { suggestion: NonNullable<RedlineSegment['suggestion']>; children: ReactNode }) {
  const label = describeSuggestion(suggestion.kind, suggestion.by, suggestion.at);
  return (
    <span className={`suggested suggested-${suggestion.kind}`} title={label}>
      <span className="suggestion-label">({label.charAt(0).toLowerCase() + label.slice(1)})</span> {children}
    </span>
  );
}

const Segments = ({ segments }: { segments: RedlineSegment[] }) => (
  <>
    {segments.map((s, i) => (
      <Segment key={i} segment={s} />
    ))}
  </>
);

const STATUS_NOTE: Partial<Record<RedlineBlock['status'], string>> = {
  inserted: 'New',
  deleted: 'Cut',
  'moved-from': 'Moved from here',
  'moved-to': 'Moved here',
};

function Block({ block }: { block: RedlineBlock }) {
  const note = STATUS_NOTE[block.status];
  const lines = block.lines.map((line, i) => {
    const content = (
      <>
        {line.prefix && <span className="prefix">{line.prefix} </span>}
        <Segments segments={line.segments} />
      </>
    );
    if (block.type === 'heading') return block.level === 3 ? <h4 key={i}>{content}</h4> : <h3 key={i}>{content}</h3>;
    return <p key={i}>{content}</p>;
  });
  return (
    <div className={`redline-block ${block.status} type-${block.type}`}>
      {note && <span className="block-note">{note}</span>}
      {block.type === 'blockquote' ? <blockquote>{lines}</blockquote> : lines}
    </div>
  );
}

/** How the heading names a version: "the submitted version of …", not "the submitted of …". */
const VERSION_PHRASE: Record<keyof typeof REVISION_LABEL_TEXT, string> = {
  autosave: 'autosave',
  checkpoint: 'saved version',
  submitted: 'submitted version',
  approved: 'approved version',
  published: 'published version',
  restored: 'restored version',
};

export function RedlineView({ redline, bodyLabel, onClose }: { redline: Redline; bodyLabel: string; onClose: () => void }) {
  const { from, to } = redline;
  const changedBody = redline.body.some((b) => b.status !== 'same');
  return (
    <section aria-label="Comparison" className="redline">
      <header>
        <h3>
          Changes from the {VERSION_PHRASE[from.label]} of {whenExactly(from.createdAt)} to{' '}
          {to ? `the ${VERSION_PHRASE[to.label]} of ${whenExactly(to.createdAt)}` : 'the current text'}
        </h3>
        <p className="counts">
          {redline.wordsAdded} words added, {redline.wordsRemoved} removed
        </p>
        <button type="button" onClick={onClose}>
          Close comparison
        </button>
      </header>
      {redline.fields.length === 0 && !changedBody && <p className="empty-state">These two versions are identical.</p>}
      {redline.fields.map((f) => (
        <div key={f.field} className="redline-field">
          <h4>{f.label}</h4>
          <p>
            <Segments segments={f.segments} />
          </p>
        </div>
      ))}
      <div className="redline-body" aria-label={`${bodyLabel} changes`} role="group">
        <h4>{bodyLabel}</h4>
        {redline.body.map((b, i) => (
          <Block key={i} block={b} />
        ))}
      </div>
    </section>
  );
}
