import { z } from 'zod';
import type { DocumentContent, Status } from './documents.ts';
import { STATUS_LABELS } from './documents.ts';
import { countSuggestions, pendingSuggestionsMessage } from './editor/suggestions.ts';
import { plainText, type RichNode } from './richtext.ts';
import { compileRules, findIssues, type StyleConfig } from './style/houseStyle.ts';

/**
 * What must be true before a story can be published, each check saying what to fix
 * and where. Pure: the back end supplies the facts (caption statuses, bios).
 */
export const PrePublishCheck = z.object({
  id: z.string(),
  ok: z.boolean(),
  message: z.string(),
  /** The document to open to fix it, when it is another one (a caption). */
  documentId: z.string().optional(),
});
export type PrePublishCheck = z.infer<typeof PrePublishCheck>;

export type PrePublishFacts = {
  content: DocumentContent;
  captions: Map<string, { status: Status; title: string } | null>;
  bioNames: string[];
  style: StyleConfig;
};

export function figureCaptionIds(body: RichNode): string[] {
  const ids: string[] = [];
  const walk = (n: RichNode) => {
    if (n.type === 'figure' && typeof n.attrs?.captionId === 'string') ids.push(n.attrs.captionId);
    n.content?.forEach(walk);
  };
  walk(body);
  return ids;
}

/** Byline names: "Amara Osei and Ben Okafor", "A, B and C". */
export function bylineNames(byline: string): string[] {
  return byline
    .split(/,|\band\b|&/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function prePublishChecks(facts: PrePublishFacts): PrePublishCheck[] {
  const { content } = facts;
  const checks: PrePublishCheck[] = [];
  const add = (id: string, ok: boolean, message: string, documentId?: string) =>
    checks.push({ id, ok, message, ...(documentId ? { documentId } : {}) });
  const text = plainText(content.body).trim();

  if (content.kind === 'article') {
    const f = content.fields;
    add('headline', f.headline.trim() !== '', f.headline.trim() ? 'Headline present' : 'Write a headline.');
    add('body', text !== '', text ? 'Body present' : 'The body is empty: write the story.');
    add('byline', f.byline.trim() !== '', f.byline.trim() ? 'Byline present' : 'Add a byline (the writer’s name, from the bios).');
    const known = new Set(facts.bioNames.map((n) => n.toLocaleLowerCase()));
    for (const name of bylineNames(f.byline)) {
      const ok = known.has(name.toLocaleLowerCase());
      add(`bio:${name}`, ok, ok ? `Bio for ${name} exists` : `No bio for “${name}”: add one (New bio) or correct the byline.`);
    }
    for (const id of figureCaptionIds(content.body)) {
      const caption = facts.captions.get(id);
      if (!caption) add(`caption:${id}`, false, 'A photo’s caption document is missing: remove the figure or insert the photo again.');
      else {
        const ok = caption.status === 'approved' || caption.status === 'published';
        add(
          `caption:${id}`,
          ok,
          ok ? `Caption “${caption.title}” approved` : `Caption “${caption.title || 'without text'}” is ${STATUS_LABELS[caption.status].toLowerCase()}: the photo desk must submit it and an editor approve it.`,
          ok ? undefined : id,
        );
      }
    }
  } else {
    add('body', text !== '', text ? 'Text present' : 'The text is empty.');
  }

  // Suggested edits are proposals, not text: they are never published unaccepted.
  const pending = countSuggestions(content.body);
  add(
    'suggestions',
    pending === 0,
    pending === 0 ? 'No suggested edits waiting' : `${pendingSuggestionsMessage(pending)}: accept or reject them in Suggestions, beside the body.`,
  );

  const rules = compileRules(facts.style);
  const fieldsText = content.kind === 'article' ? [content.fields.headline, content.fields.dek] : [];
  const blocking = [...fieldsText, ...text.split('\n')].flatMap((t) => findIssues(t, rules)).filter((i) => i.severity === 'error');
  add(
    'house-style',
    blocking.length === 0,
    blocking.length === 0 ? 'No blocking house-style errors' : `Fix ${blocking.length} blocking house-style error${blocking.length > 1 ? 's' : ''}: ${[...new Set(blocking.map((b) => b.message))].join('; ')}.`,
  );
  return checks;
}
