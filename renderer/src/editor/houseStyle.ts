import { Extension, type Editor } from '@tiptap/core';
import { closeHistory } from '@tiptap/pm/history';
import type { Node as PMNode } from '@tiptap/pm/model';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view';
import { findIssues, safeFixes, type CompiledRules, type StyleIssue } from '../../../shared/style/houseStyle.ts';
import { afterIdle } from '../idle.ts';

/** A finding placed in the document: [pos, end) and the text it was found on. */
export type DocIssue = StyleIssue & { pos: number; end: number; text: string };

/** Shared between the editor and its panel: the rules to run and who wants the findings. */
export type StyleHolder = {
  rules: CompiledRules | null;
  onIssues?: (issues: DocIssue[]) => void;
  refresh?: () => void;
};

export const houseStyleKey = new PluginKey<DecorationSet>('houseStyle');

/**
 * House style runs off the typing path: 300 ms after the document stops changing, and
 * then only on paragraphs that changed (findings are cached per paragraph node, which
 * ProseMirror reuses when a paragraph is untouched). Between runs the marks are
 * mapped through each edit, which costs next to nothing.
 *
 * Every finding goes to the panel, but only paragraphs on or near the screen get the
 * inline marks. Each mark is an element in the editable text, and Chromium's work on
 * every keystroke (inserting the character, syncing the selection) grows with them:
 * 211 marks in the benchmark's 20,000-word story cost about 2 ms a keystroke. Marks
 * follow the reader: a scroll re-runs the (cached) checks for the new stretch.
 */
export function HouseStyle(holder: StyleHolder) {
  return Extension.create({
    name: 'houseStyle',
    addProseMirrorPlugins() {
      let cache = new WeakMap<PMNode, StyleIssue[]>();
      let cachedRules: CompiledRules | null = null;
      return [
        new Plugin({
          key: houseStyleKey,
          state: {
            init: () => DecorationSet.empty,
            apply: (tr, set: DecorationSet) => (tr.getMeta(houseStyleKey) as DecorationSet | undefined) ?? set.map(tr.mapping, tr.doc),
          },
          props: { decorations: (state) => houseStyleKey.getState(state) },
          view: (view) => {
            // Each a pending run (see schedule and onScroll), or undefined.
            let pending: (() => void) | undefined;
            let pendingScroll: (() => void) | undefined;
            let reportedDoc: PMNode | null = null;
            let reportedRules: CompiledRules | null = null;
            const run = () => {
              pending?.();
              pendingScroll?.();
              pending = pendingScroll = undefined;
              const rules = holder.rules;
              if (!rules || view.isDestroyed) return;
              if (rules !== cachedRules) {
                cache = new WeakMap();
                cachedRules = rules;
              }
              const decorations: Decoration[] = [];
              const found: DocIssue[] = [];
              const near = nearScreen(view);
              view.state.doc.descendants((node, pos) => {
                if (!node.isTextblock) return true;
                const marked = near(pos);
                // Leaves count as one character and breaks as a newline, so offsets are positions.
                const text = node.textBetween(0, node.content.size, '\n', '\ufffc');
                let issues = cache.get(node);
                if (!issues) {
                  issues = findIssues(text, rules);
                  cache.set(node, issues);
                }
                for (const issue of issues) {
                  const from = pos + 1 + issue.from;
                  const to = pos + 1 + issue.to;
                  const tip = `${issue.message}. ${issue.why}${issue.suggestion !== undefined ? ` Suggested: “${issue.suggestion}”.` : ''}`;
                  if (marked) decorations.push(Decoration.inline(from, to, { class: `style-issue ${issue.severity}`, title: tip, 'data-rule': issue.ruleId }));
                  found.push({ ...issue, pos: from, end: to, text: text.slice(issue.from, issue.to) });
                }
                return false;
              });
              view.dispatch(view.state.tr.setMeta(houseStyleKey, DecorationSet.create(view.state.doc, decorations)).setMeta('addToHistory', false));
              // A scroll changes which marks show, not the findings: the panel keeps its list.
              if (view.state.doc !== reportedDoc || rules !== reportedRules) holder.onIssues?.(found);
              reportedDoc = view.state.doc;
              reportedRules = rules;
            };
            // A run (5–8 ms in a long story) also waits for the window to be idle: a
            // scroll while typing (the caret reaching the screen's foot) otherwise had
            // it fall due inside a keystroke (see afterIdle).
            const schedule = () => {
              pending?.();
              pending = afterIdle(run, { delayMs: 300, deadlineMs: 500 });
            };
            holder.refresh = schedule;
            schedule();
            // Scrolling (the editor pane's or the window's) brings other paragraphs near;
            // its own timer, so typing straight after a scroll does not hold the marks back.
            const onScroll = () => {
              pendingScroll?.();
              pendingScroll = afterIdle(run, { delayMs: 150, deadlineMs: 500 });
            };
            const doc = view.dom.ownerDocument;
            doc.addEventListener('scroll', onScroll, { capture: true, passive: true });
            doc.defaultView?.addEventListener('resize', onScroll, { passive: true });
            return {
              update: (v, prev) => {
                if (!v.state.doc.eq(prev.doc)) schedule();
              },
              destroy: () => {
                pending?.();
                pendingScroll?.();
                doc.removeEventListener('scroll', onScroll, { capture: true });
                doc.defaultView?.removeEventListener('resize', onScroll);
                holder.refresh = undefined;
              },
            };
          },
        }),
      ];
    },
  });
}

/**
 * Which positions lie in a top-level block on screen or within a screen's height of
 * it. One layout read per run (the blocks' rectangles), off the typing path.
 */
function nearScreen(view: EditorView): (pos: number) => boolean {
  const height = view.dom.ownerDocument.defaultView?.innerHeight ?? 0;
  const ranges: [number, number][] = [];
  view.state.doc.forEach((node, offset) => {
    const dom = view.nodeDOM(offset);
    if (!(dom instanceof Element)) return;
    const rect = dom.getBoundingClientRect();
    if (rect.bottom >= -height && rect.top <= 2 * height) ranges.push([offset, offset + node.nodeSize]);
  });
  return (pos) => ranges.some(([from, to]) => pos >= from && pos < to);
}

/**
 * Fix all in the body: every safe fix (shared/style/houseStyle.ts, safeFixes) in one
 * transaction, so one Ctrl+Z takes them all back. Found afresh on the document as it is
 * now, not from the last run's findings, which typing may have overtaken. The change
 * goes out as any edit does (the editor's update, then the save). Returns how many.
 */
export function fixAllInBody(editor: Editor, rules: CompiledRules): number {
  const tr = editor.state.tr;
  let count = 0;
  // A few passes: two overlapping fixes (three spaces and a quote) take two.
  for (let pass = 0; pass < 5; pass++) {
    const fixes: { from: number; to: number; insert: string }[] = [];
    tr.doc.descendants((node, pos) => {
      if (!node.isTextblock) return true;
      // As in the check: leaves count as one character, breaks as a newline.
      const text = node.textBetween(0, node.content.size, '\n', '\ufffc');
      for (const f of safeFixes(text, rules)) fixes.push({ from: pos + 1 + f.from, to: pos + 1 + f.to, insert: f.insert });
      return false;
    });
    if (!fixes.length) break;
    for (const f of fixes.reverse()) tr.insertText(f.insert, f.from, f.to);
    count += fixes.length;
  }
  // Its own undo step: right after a paste or typing the history would fold it into
  // that step, and one Ctrl+Z (or Undo Fix all) would take the pasted text with it.
  if (count) editor.view.dispatch(closeHistory(tr));
  return count;
}
