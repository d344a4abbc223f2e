import { useEffect, useState, type MutableRefObject } from 'react';
import {
  EMAIL_PATTERN,
  budgetState,
  readingMinutes,
  type ArticleFields,
  type BioFields,
  type CaptionFields,
  type DocumentRecord,
} from '../../../shared/documents.ts';
import { checkCaption } from '../../../shared/captionChecks.ts';
import type { Asset } from '../../../shared/photos.ts';
import { slugify } from '../../../shared/slug.ts';
import { useClient } from '../api/context.tsx';
import { PhotoArea } from '../assets/PhotoArea.tsx';
import { ListField, TextField } from './fields.tsx';
import { SlugField } from './SlugField.tsx';
import { useLiveSlug } from './useLiveSlug.ts';

// The fields of each kind of document, and the body's counts: what DocumentEditor lays
// out around the body.

type FormProps<F> = { fields: F; set: (patch: Partial<F>) => void; readOnly: boolean };

/**
 * Which of a kind's fields to show: the ones that lead the page beside the body (an
 * article's Headline and Dek), or the rest, which sit in the Story settings panel.
 */
export type FormPart = 'lead' | 'meta';
/** A caption's parts: the photo (leads), its fields (under the caption), its checks (side panel). */
export type CaptionPart = 'photo' | 'fields' | 'checks';

/** The body's word count, reading time and budget, coloured as the budget nears. */
export function Counts({ kind, words, budget }: { kind: DocumentRecord['kind']; words: number; budget: number | null }) {
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

export function ArticleForm({
  id,
  fields,
  set,
  readOnly,
  headlineProblem,
  part,
  slugUnlocked,
}: FormProps<ArticleFields> & { id: string; headlineProblem: string | null; part: FormPart; slugUnlocked?: MutableRefObject<boolean> }) {
  const client = useClient();
  // A published story's slug is its live address: frozen until someone unlocks it.
  const live = useLiveSlug(id);
  const [unlocked, setUnlocked] = useState(() => slugUnlocked?.current ?? false);
  const [bios, setBios] = useState<string[]>([]);
  const [slugTaken, setSlugTaken] = useState<string | null>(null);
  useEffect(() => {
    if (part === 'lead') return;
    client.call('documents.list', { kind: 'bio' }).then((list) => setBios(list.map((b) => b.title).filter(Boolean)), () => setBios([]));
  }, [client, part]);
  useEffect(() => {
    if (part === 'lead') return;
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
  }, [client, fields.slug, id, part]);

  const slugProblem =
    fields.slug && fields.slug !== slugify(fields.slug)
      ? 'Use lower-case letters, digits and hyphens'
      : slugTaken
        ? `Already used by “${slugTaken}”: choose another slug`
        : null;
  return (
    <div className={part === 'lead' ? 'fields lead-fields' : 'fields'}>
      {part === 'lead' && (
      <>
      <TextField
        label="Headline"
        value={fields.headline}
        readOnly={readOnly}
        multiline
        typeset
        hint={charText(chars(fields.headline))}
        problem={headlineProblem}
        onChange={(headline) => {
          // The slug follows the headline until someone edits it by hand, and never
          // once the story is live.
          const follows = !live && (fields.slug === '' || fields.slug === slugify(fields.headline));
          set(follows ? { headline, slug: slugify(headline) } : { headline });
        }}
      />
      <TextField label="Dek" value={fields.dek} readOnly={readOnly} multiline typeset hint={charText(chars(fields.dek))} onChange={(dek) => set({ dek })} />
      </>
      )}
      {part === 'meta' && (
      <>
      <SlugField
        value={fields.slug}
        readOnly={readOnly}
        live={live}
        unlocked={unlocked}
        problem={slugProblem}
        onChange={(slug) => set({ slug })}
        onUnlock={() => {
          if (slugUnlocked) slugUnlocked.current = true;
          setUnlocked(true);
        }}
      />
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
      </>
      )}
    </div>
  );
}

export function CaptionForm({
  fields,
  set,
  readOnly,
  captionText,
  onPhoto,
  part,
}: FormProps<CaptionFields> & { captionText: string; onPhoto: (asset: Asset) => void; part: CaptionPart }) {
  const checks = checkCaption({ fields, caption: captionText, hasPhoto: Boolean(fields.photo) });
  // The photo leads, the caption's own fields follow the caption (the photo desk writes
  // credit and alt text with the photo in view), the checks sit in the side panel.
  if (part === 'photo') return <PhotoArea sha256={fields.photo} alt={fields.altText} editable={!readOnly} onImported={onPhoto} />;
  if (part === 'checks') return (
    <section className="checks" aria-labelledby="checks-title">
      <h2 id="checks-title">Checks</h2>
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
  );
  return (
    <div className="fields">
      <TextField label="Credit" value={fields.credit} readOnly={readOnly} onChange={(credit) => set({ credit })} />
      <TextField label="Photographer" value={fields.photographer} readOnly={readOnly} onChange={(photographer) => set({ photographer })} />
      <TextField label="Copyright" value={fields.copyright} readOnly={readOnly} onChange={(copyright) => set({ copyright })} />
      <TextField label="Alt text" value={fields.altText} readOnly={readOnly} multiline typeset onChange={(altText) => set({ altText })} />
      <TextField label="Date taken" value={fields.dateTaken} readOnly={readOnly} onChange={(dateTaken) => set({ dateTaken })} />
      <TextField label="Location" value={fields.location} readOnly={readOnly} onChange={(location) => set({ location })} />
    </div>
  );
}

export function BioForm({ fields, set, readOnly, part }: FormProps<BioFields> & { part: FormPart }) {
  const emailProblem =
    fields.email && !EMAIL_PATTERN.test(fields.email) ? 'Enter an email address like name@example.org' : null;
  if (part === 'lead') return (
    <div className="fields lead-fields">
      <TextField label="Name" value={fields.name} readOnly={readOnly} onChange={(name) => set({ name })} />
      <TextField label="Title" value={fields.title} readOnly={readOnly} onChange={(title) => set({ title })} />
    </div>
  );
  return (
    <div className="fields">
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

