import { describe, expect, it } from 'vitest';
import { askForFrameOnKeys } from '../../renderer/src/keyFrame.ts';

/** The window as askForFrameOnKeys uses it: its key listener and its frame requests. */
function fakeWindow() {
  let listener: ((e: KeyboardEvent) => void) | null = null;
  let frames = 0;
  const win = {
    addEventListener: (type: string, fn: (e: KeyboardEvent) => void) => type === 'keydown' && (listener = fn),
    removeEventListener: () => (listener = null),
    requestAnimationFrame: () => ++frames,
  } as unknown as Window;
  const press = (target: object) => listener?.({ target } as unknown as KeyboardEvent);
  return { win, press, frames: () => frames, listening: () => listener !== null };
}

describe('askForFrameOnKeys', () => {
  it('asks for a frame when a key goes down in editable text, and not elsewhere', () => {
    const { win, press, frames } = fakeWindow();
    askForFrameOnKeys(win);
    press({ nodeType: 1, isContentEditable: true, tagName: 'DIV' });
    press({ nodeType: 1, isContentEditable: false, tagName: 'TEXTAREA' });
    press({ nodeType: 1, isContentEditable: false, tagName: 'INPUT', type: 'text' });
    expect(frames()).toBe(3);
    press({ nodeType: 1, isContentEditable: false, tagName: 'BUTTON' });
    press({ nodeType: 1, isContentEditable: false, tagName: 'INPUT', type: 'checkbox' });
    press({ nodeType: 9 });
    expect(frames()).toBe(3);
  });

  it('stops listening when asked', () => {
    const { win, listening } = fakeWindow();
    const stop = askForFrameOnKeys(win);
    expect(listening()).toBe(true);
    stop();
    expect(listening()).toBe(false);
  });
});
