import {
  applySuggestion,
  applySuggestions,
  isSuggestChangesEnabled,
  revertSuggestion,
  revertSuggestions,
  suggestChanges,
  suggestChangesKey,
  transformToSuggestionTransaction,
} from '@handlewithcare/prosemirror-suggest-changes';
import { Extension, type Editor } from '@tiptap/core';
import type { Mark, Node as PMNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, type EditorState, type Transaction } from '@tiptap/pm/state';
import { AddMarkStep, AddNodeMarkStep, RemoveMarkStep, RemoveNodeMarkStep, ReplaceAroundStep, ReplaceStep, type Step } from '@tiptap/pm/transform';
import { DecorationSet } from '@tiptap/pm/view';
import { isSuggestionMark, type Suggestion, type SuggestionKind } from '../../../shared/editor/suggestions.ts';

/**
 * Suggesting, wired into tiptap (3.32) from @handlewithcare/prosemirror-suggest-changes:
 *
 * - Whether this editor is suggesting is the package's plugin state (its
 *   suggestChangesKey), not document state: it is this person's mode in this window,
 *   and a shared (Yjs) document later carries only the marks.
 * - Tiptap owns the view's dispatch, so the package's `withSuggestChanges` decorator
 *   cannot wrap it; tiptap's extension `dispatchTransaction` hook (enabled by default)
 *   is the same seam: while suggesting, each transaction that changes the document is
 *   replaced by the package's suggestion transaction, which is then stamped with who
 *   made it and when. Undo/redo, the package's own accept/reject and remote (collab,
 *   Yjs) changes pass through untouched, as the decorator would let them.
 */

export type SuggestAuthor = { id: string; name: string };
/** Read at each keystroke: who is typing may change (Switch user) without a new editor. */
export type SuggestHolder = { author: SuggestAuthor | null };

type State = {
  has: boolean;
  /** The highest numeric suggestion id this document has held (never lowered: an id only has to be new). */
  maxId: number;
};
const presenceKey = new PluginKey<State>('galleySuggestionsPresent');

function isSuggestionMarkType(mark: Mark): boolean {
  return isSuggestionMark(mark.type.name);
}

/** Whether [from, to) of `doc` holds any suggestion; stops at the first. */
function holdsSuggestion(doc: PMNode, from = 0, to = doc.content.size): boolean {
  let found = false;
  doc.nodesBetween(from, to, (node) => {
    if (found) return false;
    if (node.marks.some(isSuggestionMarkType)) found = true;
    return !found;
  });
  return found;
}

const numericId = (mark: Mark): number => (typeof mark.attrs.id === 'number' && Number.isFinite(mark.attrs.id) ? mark.attrs.id : 0);

/** The highest suggestion id in a document or slice (0 for ids that are not numbers), or -1 if it holds none. */
function highestIdIn(content: { descendants: PMNode['descendants'] }): number {
  let max = -1;
  content.descendants((node) => {
    for (const mark of node.marks) if (isSuggestionMarkType(mark)) max = Math.max(max, numericId(mark));
    return true;
  });
  return max;
}

/**
 * The highest suggestion id a step brings in, or -1 if it brings none (a paste of
 * suggested text, the package's own marking, the stamping below).
 */
function idsAddedBy(step: Step): number {
  if (step instanceof AddMarkStep || step instanceof AddNodeMarkStep) return isSuggestionMarkType(step.mark) ? numericId(step.mark) : -1;
  if (step instanceof ReplaceStep || step instanceof ReplaceAroundStep) return highestIdIn(step.slice.content);
  return -1;
}

/**
 * Whether a step may take a suggestion out: it deletes content, or removes a
 * suggestion mark (marking excludes the mark it replaces through such a step). An
 * insertion, a mark added or an attribute changed cannot.
 */
function mayRemoveSuggestions(step: Step): boolean {
  if (step instanceof ReplaceStep) return step.from < step.to;
  if (step instanceof ReplaceAroundStep) return true;
  if (step instanceof RemoveMarkStep || step instanceof RemoveNodeMarkStep) return isSuggestionMarkType(step.mark);
  return false;
}

/** Whether any of the ranges a transaction touched, in its final document, holds a suggestion. */
function touchedHoldSuggestions(tr: Transaction): boolean {
  const size = tr.doc.content.size;
  return touchedRanges(tr).some(([from, to]) => holdsSuggestion(tr.doc, Math.max(0, Math.min(from, size)), Math.min(Math.max(from, to), size)));
}

/**
 * Whether the document holds any suggestion, and its highest id, kept up to date
 * cheaply: a keystroke costs a look at its own steps and the text they touched, not a
 * walk of the story. Without this, each keystroke walked a 20,000-word story twice
 * (the package's id search and the presence check). The package's pilcrow
 * decorations, which walk the whole document on every update, are only asked for
 * while there are some.
 */
function presencePlugin(): Plugin<State> {
  const decorated = new WeakMap<PMNode, DecorationSet>();
  const base = suggestChanges();
  const packageDecorations = base.props.decorations as (state: EditorState) => DecorationSet;
  return new Plugin<State>({
    key: presenceKey,
    state: {
      init: (_config, state) => {
        // One walk of the story when the editor opens, for both.
        const highest = highestIdIn(state.doc);
        return { has: highest >= 0, maxId: Math.max(0, highest) };
      },
      apply: (tr, value, _old, state) => {
        if (!tr.docChanged) return value;
        let added = -1;
        let removing = false;
        for (const step of tr.steps) {
          added = Math.max(added, idsAddedBy(step));
          removing ||= mayRemoveSuggestions(step);
        }
        const maxId = Math.max(value.maxId, added);
        let has = value.has;
        if (value.has ? removing : added >= 0) {
          // Typing while suggesting lands here on every key: the text it touched holds
          // the new suggestion, so no walk is needed.
          has = (added >= 0 && touchedHoldSuggestions(tr)) || holdsSuggestion(state.doc);
        }
        return has === value.has && maxId === value.maxId ? value : { has, maxId };
      },
    },
    props: {
      decorations(state) {
        if (!presenceKey.getState(state)?.has) return null;
        let set = decorated.get(state.doc);
        if (!set) decorated.set(state.doc, (set = packageDecorations(state)));
        return set;
      },
    },
  });
}

/** The package's plugin, keeping its state (on/off) and its arrow-key handling, without its decorations (presencePlugin gives them). */
function modePlugin(): Plugin {
  const base = suggestChanges();
  return new Plugin({ key: suggestChangesKey, state: base.spec.state, props: { handleKeyDown: base.props.handleKeyDown } });
}

/** Ranges of the final document a transaction's steps touched. */
function touchedRanges(tr: Transaction): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  tr.steps.forEach((step, i) => {
    const s = step as Step & { from?: number; to?: number; pos?: number };
    const from = s.from ?? s.pos;
    if (from === undefined) return;
    const to = s.to ?? from + 1;
    const after = tr.mapping.slice(i);
    out.push([after.map(from, -1), Math.min(after.map(to, 1), tr.doc.content.size)]);
  });
  return out;
}

/**
 * The package makes its marks with an id only; every one the transaction made gets the
 * author and the time here, before the transaction is applied, so no unattributed
 * suggestion is ever shown or saved.
 */
export function stampSuggestions(tr: Transaction, author: SuggestAuthor, time: number): void {
  const inline: Array<{ from: number; to: number; mark: Mark }> = [];
  const blocks = new Map<number, Mark>();
  for (const [from, to] of touchedRanges(tr)) {
    if (from >= to && from >= tr.doc.content.size) continue;
    tr.doc.nodesBetween(Math.max(0, from), Math.max(from, to), (node, pos) => {
      for (const mark of node.marks) {
        if (!isSuggestionMarkType(mark) || mark.attrs.authorId) continue;
        if (node.isInline) {
          // Typing on at the end of one's own suggestion continues it (the same mark,
          // its first time): one suggestion per run of typing, not one per keystroke.
          const $from = tr.doc.resolve(pos);
          const $to = tr.doc.resolve(pos + node.nodeSize);
          const same = (n: PMNode | null | undefined) =>
            n?.marks.find((m) => m.type === mark.type && m.attrs.authorId === author.id && m.attrs.id === mark.attrs.id);
          const continued = same($from.nodeBefore) ?? same($to.nodeAfter);
          const stamped = continued ?? mark.type.create({ ...mark.attrs, authorId: author.id, authorName: author.name, time });
          inline.push({ from: pos, to: pos + node.nodeSize, mark: stamped });
          continue;
        }
        const stamped = mark.type.create({ ...mark.attrs, authorId: author.id, authorName: author.name, time });
        if (node.isInline) inline.push({ from: pos, to: pos + node.nodeSize, mark: stamped });
        else blocks.set(pos, stamped);
      }
      return true;
    });
  }
  // Mark steps move nothing, so the positions found above stay true while they are added.
  for (const { from, to, mark } of inline) tr.addMark(from, to, mark);
  for (const [pos, mark] of blocks) tr.addNodeMark(pos, mark);
}

function passesThrough(tr: Transaction): boolean {
  const ySync = (tr.getMeta('y-sync$') ?? {}) as { isUndoRedoOperation?: boolean; isChangeOrigin?: boolean };
  const own = tr.getMeta(suggestChangesKey) as Record<string, unknown> | undefined;
  return !!(tr.getMeta('history$') || tr.getMeta('collab$') || ySync.isUndoRedoOperation || ySync.isChangeOrigin || (own && 'skip' in own));
}

export function SuggestEdits(holder: SuggestHolder) {
  return Extension.create({
    name: 'suggestEdits',
    addProseMirrorPlugins: () => [modePlugin(), presencePlugin()],
    dispatchTransaction({ transaction, next }) {
      const state = this.editor.state;
      const author = holder.author;
      if (!author || !transaction.docChanged || !isSuggestChangesEnabled(state) || passesThrough(transaction)) {
        next(transaction);
        return;
      }
      // Ids as the package numbers them (one above the highest, then counting up), from
      // the presence plugin's record rather than the package's walk of the whole story.
      let nextId = (presenceKey.getState(state)?.maxId ?? 0) + 1;
      const tracked = transformToSuggestionTransaction(transaction, state, () => nextId++);
      stampSuggestions(tracked, author, Date.now());
      next(tracked);
    },
  });
}

export const isSuggesting = (state: EditorState) => isSuggestChangesEnabled(state);
export const hasSuggestions = (state: EditorState) => !!presenceKey.getState(state)?.has;

export function setSuggesting(editor: Editor, on: boolean): void {
  editor.view.dispatch(editor.state.tr.setMeta(suggestChangesKey, { enabled: on }).setMeta('addToHistory', false));
}

const listed = new WeakMap<PMNode, Suggestion[]>();

/** The document's suggestions in reading order, one per id (the same reading as shared listSuggestions, on the live document). */
export function suggestionsIn(doc: PMNode): Suggestion[] {
  const known = listed.get(doc);
  if (known) return known;
  const byId = new Map<string, Suggestion>();
  doc.descendants((node) => {
    const mark = node.marks.find(isSuggestionMarkType);
    if (!mark) return true;
    const kind = mark.type.name as SuggestionKind;
    const key = JSON.stringify(mark.attrs.id);
    let s = byId.get(key);
    if (!s) byId.set(key, (s = { id: mark.attrs.id as number | string, kind, kinds: [], authorNames: [], time: 0, text: '' }));
    if (!s.kinds.includes(kind)) s.kinds.push(kind);
    const name = String(mark.attrs.authorName ?? '');
    if (name && !s.authorNames.includes(name)) s.authorNames.push(name);
    s.time = Math.max(s.time, Number(mark.attrs.time ?? 0));
    if (s.text.length < 80) s.text += `${node.isText ? '' : ' '}${node.textContent}`;
    return !node.isText;
  });
  const out = [...byId.values()];
  for (const s of out) s.text = s.text.replace(/\u200B/g, '').replace(/\s+/g, ' ').trim().slice(0, 80);
  listed.set(doc, out);
  return out;
}

// Accepting or rejecting is the package's commands: they carry its "skip" meta, so they
// are never themselves turned into suggestions while suggesting is on.
export const acceptSuggestion = (editor: Editor, id: number | string) => applySuggestion(id)(editor.state, editor.view.dispatch);
export const rejectSuggestion = (editor: Editor, id: number | string) => revertSuggestion(id)(editor.state, editor.view.dispatch);
export const acceptAll = (editor: Editor) => applySuggestions(editor.state, editor.view.dispatch);
export const rejectAll = (editor: Editor) => revertSuggestions(editor.state, editor.view.dispatch);
