import { Extension } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { findIssues, type CompiledRules, type StyleIssue } from '../../../shared/style/houseStyle.ts';

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
            let timer: ReturnType<typeof setTimeout> | undefined;
            const run = () => {
              timer = undefined;
              const rules = holder.rules;
              if (!rules || view.isDestroyed) return;
              if (rules !== cachedRules) {
                cache = new WeakMap();
                cachedRules = rules;
              }
              const decorations: Decoration[] = [];
              const found: DocIssue[] = [];
              view.state.doc.descendants((node, pos) => {
                if (!node.isTextblock) return true;
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
                  decorations.push(Decoration.inline(from, to, { class: `style-issue ${issue.severity}`, title: tip, 'data-rule': issue.ruleId }));
                  found.push({ ...issue, pos: from, end: to, text: text.slice(issue.from, issue.to) });
                }
                return false;
              });
              view.dispatch(view.state.tr.setMeta(houseStyleKey, DecorationSet.create(view.state.doc, decorations)).setMeta('addToHistory', false));
              holder.onIssues?.(found);
            };
            const schedule = () => {
              if (timer) clearTimeout(timer);
              timer = setTimeout(run, 300);
            };
            holder.refresh = schedule;
            schedule();
            return {
              update: (v, prev) => {
                if (!v.state.doc.eq(prev.doc)) schedule();
              },
              destroy: () => {
                if (timer) clearTimeout(timer);
                holder.refresh = undefined;
              },
            };
          },
        }),
      ];
    },
  });
}
