import { listDocuments } from '../../db/documents.ts';
import type { Output, ParsedInput } from '../../shared/contract.ts';
import { emptyContent, type DocumentContent, type DocumentRecord } from '../../shared/documents.ts';
import { parseScrapedText } from '../../shared/import/textImport.ts';
import type { RichNode } from '../../shared/richtext.ts';
import { slugify } from '../../shared/slug.ts';
import type { ServiceContext, SignedIn } from './context.ts';
import { insertWithContent } from './documents.ts';

const para = (text: string): RichNode => ({ type: 'paragraph', content: text ? [{ type: 'text', text }] : [] });

/** An existing bio with the same name, if the workstation has one. */
function matchBio(ctx: ServiceContext, name: string) {
  if (!name) return null;
  const found = listDocuments(ctx.db, { kind: 'bio' }).find((d) => d.title.toLocaleLowerCase() === name.toLocaleLowerCase());
  return found ? { id: found.id, title: found.title } : null;
}

export function previewImport(ctx: ServiceContext, input: ParsedInput<'imports.preview'>): Output<'imports.preview'> {
  const parsed = parseScrapedText(input.text);
  return { parsed, bioMatch: parsed.bio ? matchBio(ctx, parsed.bio.name) : null };
}

/**
 * Creates what the preview showed: a caption document per photo block (caption and
 * credit; the photo desk adds the photo), the writer's bio unless one exists, and the
 * article with its figures pointing at those captions.
 */
export function createImport(ctx: ServiceContext, caller: SignedIn, input: ParsedInput<'imports.create'>): DocumentRecord {
  const { parsed, bioMatch } = previewImport(ctx, input);
  return ctx.db.transaction(() => {
    const nodes: RichNode[] = parsed.body.map((block) => {
      if (block.type === 'paragraph') return para(block.text);
      const base = emptyContent('caption');
      const caption = insertWithContent(ctx, caller.person.id, {
        kind: 'caption',
        fields: { ...(base.fields as Extract<DocumentContent, { kind: 'caption' }>['fields']), credit: block.figure.credit },
        body: { type: 'doc', content: [para(block.figure.caption)] },
      });
      return { type: 'figure', attrs: { captionId: caption.id, captionOverride: null } };
    });
    if (parsed.bio && !bioMatch) {
      insertWithContent(ctx, caller.person.id, {
        kind: 'bio',
        fields: { name: parsed.bio.name, title: '', email: parsed.bio.email, languages: parsed.bio.languages, socials: [], headshot: '' },
        body: { type: 'doc', content: [para(parsed.bio.text)] },
      });
    }
    const base = emptyContent('article');
    return insertWithContent(ctx, caller.person.id, {
      kind: 'article',
      fields: {
        ...(base.fields as Extract<DocumentContent, { kind: 'article' }>['fields']),
        headline: parsed.headline,
        slug: slugify(parsed.headline),
        byline: parsed.bio?.name ?? '',
        contributorLine: parsed.contributorLine,
      },
      body: { type: 'doc', content: nodes.length ? nodes : [para('')] },
    });
  })();
}
