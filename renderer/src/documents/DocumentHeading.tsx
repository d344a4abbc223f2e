import type { ArticleFields, BioFields, DocumentContent, DocumentKind } from '../../../shared/documents.ts';
import { untitled } from '../desk/Desk.tsx';

/**
 * The page's one h1 while a document is open: its headline (a bio's name, a caption's
 * first line), as the story list names it. The Headline box already shows it, so the
 * heading is for screen readers' heading navigation only, and follows what is typed.
 */
export function DocumentHeading({ kind, fields, captionText }: { kind: DocumentKind; fields: DocumentContent['fields']; captionText: string }) {
  const title =
    kind === 'article' ? (fields as ArticleFields).headline : kind === 'bio' ? (fields as BioFields).name : (captionText.split('\n')[0] ?? '');
  return <h1 className="visually-hidden">{title.trim().replace(/\s+/g, ' ') || untitled(kind)}</h1>;
}
