import type { AnyExtension } from '@tiptap/core';
import { NodeViewContent, NodeViewWrapper, ReactNodeViewRenderer, type ReactNodeViewProps } from '@tiptap/react';
import { useCallback, useEffect, useState } from 'react';
import type { CaptionFields, DocumentRecord } from '../../../shared/documents.ts';
import { editorExtensions } from '../../../shared/editor/extensions.ts';
import { plainText } from '../../../shared/richtext.ts';
import { useClient, useEvent } from '../api/context.tsx';
import { PhotoImage } from '../assets/PhotoArea.tsx';
import { describeError } from '../errors.ts';
import { getDocumentBatched } from '../documents/documentBatch.ts';

/** A pull quote: its text is edited in place; the attribution in its own box. */
function PullQuoteView({ node, updateAttributes, editor }: ReactNodeViewProps) {
  return (
    <NodeViewWrapper as="aside" className="pull-quote">
      <NodeViewContent<"blockquote"> as="blockquote" />
      <label className="attribution" contentEditable={false}>
        <span>— </span>
        <input
          aria-label="Attribution"
          placeholder="Who said it"
          value={String(node.attrs.attribution ?? '')}
          readOnly={!editor.isEditable}
          onChange={(e) => updateAttributes({ attribution: e.target.value })}
        />
      </label>
    </NodeViewWrapper>
  );
}

/**
 * A figure shows the caption document it refers to: its photo, caption and credit,
 * refreshed whenever the photo desk changes that document.
 */
function FigureView({ node, updateAttributes, editor, selected }: ReactNodeViewProps) {
  const client = useClient();
  const captionId = String(node.attrs.captionId ?? '');
  const override = node.attrs.captionOverride as string | null;
  const [caption, setCaption] = useState<DocumentRecord | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    getDocumentBatched(client, captionId).then(
      (doc) => {
        setCaption(doc);
        setError(null);
      },
      (e: unknown) => setError(describeError(e)),
    );
  }, [client, captionId]);
  useEffect(load, [load]);
  useEvent(
    'documents.changed',
    useCallback((p) => p.id === captionId && load(), [captionId, load]),
  );

  const fields = caption?.content.fields as CaptionFields | undefined;
  const deskCaption = caption ? plainText(caption.content.body) : '';
  return (
    <NodeViewWrapper as="figure" className={`figure-view${selected ? ' selected' : ''}`} data-caption-id={captionId} contentEditable={false}>
      {error && <p className="error">This photo’s caption cannot be shown: {error}</p>}
      {fields?.photo ? <PhotoImage sha256={fields.photo} size="preview" alt={fields.altText} /> : caption && <p className="empty-state">No photo on this caption yet.</p>}
      <figcaption>
        <span className="caption-text">{override ?? deskCaption}</span>
        {fields?.credit && <span className="credit"> {fields.credit}</span>}
        {override !== null && <span className="override-note"> (caption changed for this article)</span>}
      </figcaption>
      {editor.isEditable && (
        <details className="figure-options">
          <summary>Caption for this use</summary>
          <label>
            Caption for this use
            <textarea
              value={override ?? ''}
              placeholder={deskCaption}
              onChange={(e) => updateAttributes({ captionOverride: e.target.value === '' ? null : e.target.value })}
            />
          </label>
          <p className="hint">Leave empty to use the photo desk’s caption, which updates when they edit it.</p>
        </details>
      )}
    </NodeViewWrapper>
  );
}

/** The shared schema, with the renderer's interactive views for its custom nodes. */
export function rendererExtensions(): AnyExtension[] {
  return editorExtensions().map((ext) => {
    if (ext.name === 'pullQuote') return ext.extend({ addNodeView: () => ReactNodeViewRenderer(PullQuoteView) });
    if (ext.name === 'figure') return ext.extend({ addNodeView: () => ReactNodeViewRenderer(FigureView) });
    return ext;
  });
}
