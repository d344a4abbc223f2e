import type { Editor } from '@tiptap/core';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { commentsKey } from '../editor/comments.ts';

/**
 * Below this width of the body's column the margin would leave the text too narrow to
 * write in (at 720 px the text keeps about 33 em beside a 16 em margin): the threads are
 * a list under the text instead.
 */
const MARGIN_MIN_WIDTH = 720;
/** Space between two threads that would otherwise overlap. */
const GAP = 6;

export type MarginLayout = {
  /** The threads sit in the margin (else they are a list below the text). */
  on: boolean;
  section: React.RefObject<HTMLElement | null>;
  list: React.RefObject<HTMLUListElement | null>;
  /** Each open thread's offset from the top of the list, by comment id. */
  tops: Map<string, number>;
  height: number;
};

const sameTops = (a: Map<string, number>, b: Map<string, number>) => a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);

/**
 * Places each open thread beside its words: at the height of the start of its anchor
 * (the editor maps anchors through every edit), pushed down just enough not to overlap
 * the thread above; detached threads (their words are gone) come last. Measured once
 * per frame at most, and only while there are threads in the margin, so typing in a
 * story without comments costs nothing.
 */
export function useMarginLayout(editor: Editor | null, openKey: string, renderKey: string): MarginLayout {
  const section = useRef<HTMLElement | null>(null);
  const list = useRef<HTMLUListElement | null>(null);
  const [on, setOn] = useState(false);
  const [tops, setTops] = useState<Map<string, number>>(new Map());
  const [height, setHeight] = useState(0);
  const frame = useRef(0);

  // Wide enough? The column the panel sits in decides, not the window: History and the
  // side panel take their share of a wide window.
  useEffect(() => {
    const column = section.current?.parentElement;
    if (!column) return;
    const observer = new ResizeObserver(() => setOn(column.offsetWidth >= MARGIN_MIN_WIDTH));
    observer.observe(column);
    return () => observer.disconnect();
  }, []);

  const measure = useCallback(() => {
    frame.current = 0;
    const ul = list.current;
    if (!on || !editor || editor.isDestroyed || !ul) return;
    const anchors = new Map((commentsKey.getState(editor.state)?.anchors ?? []).map((a) => [a.id, a]));
    const size = editor.state.doc.content.size;
    const top0 = ul.getBoundingClientRect().top;
    const items = [...ul.children].filter((el): el is HTMLElement => el instanceof HTMLElement && el.dataset.thread !== undefined);
    const wanted = items.map((el) => {
      const a = anchors.get(el.dataset.thread!);
      let y = Number.POSITIVE_INFINITY;
      if (a && !a.detached && a.from < size) {
        try {
          y = editor.view.coordsAtPos(a.from, 1).top - top0;
        } catch {
          // A position the view cannot place yet (mid-update): treat as detached this frame.
        }
      }
      return { id: el.dataset.thread!, y, h: el.offsetHeight };
    });
    wanted.sort((p, q) => p.y - q.y);
    const next = new Map<string, number>();
    let bottom = -GAP;
    for (const w of wanted) {
      const top = Math.round(Math.max(Number.isFinite(w.y) ? w.y : 0, bottom + GAP, 0));
      next.set(w.id, top);
      bottom = top + w.h;
    }
    setTops((prev) => (sameTops(prev, next) ? prev : next));
    setHeight(Math.max(0, Math.round(bottom)));
  }, [on, editor]);

  const schedule = useCallback(() => {
    if (!frame.current) frame.current = requestAnimationFrame(measure);
  }, [measure]);
  useEffect(() => () => cancelAnimationFrame(frame.current), []);

  // After every render that can move or resize a thread.
  useLayoutEffect(() => {
    if (on) measure();
  }, [on, measure, openKey, renderKey]);

  // Edits move the words; a resized text reflows them.
  useEffect(() => {
    if (!on || !editor || !openKey) return;
    const onTransaction = ({ transaction }: { transaction: { docChanged: boolean } }) => {
      if (transaction.docChanged) schedule();
    };
    editor.on('transaction', onTransaction);
    const observer = new ResizeObserver(schedule);
    observer.observe(editor.view.dom);
    if (list.current) observer.observe(list.current);
    return () => {
      editor.off('transaction', onTransaction);
      observer.disconnect();
    };
  }, [on, editor, openKey, schedule]);

  return { on, section, list, tops, height };
}
