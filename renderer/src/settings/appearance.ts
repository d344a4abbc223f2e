import { useEffect } from 'react';
import type { Appearance } from '../../../shared/appearance.ts';
import type { GalleyClient } from '../../../shared/contract.ts';

// Settings → Appearance reaches the page as data-theme on <html>, which styles.css turns
// into color-scheme: "system" leaves the attribute off, so prefers-color-scheme decides.
// The last choice is also kept in the window's storage, so the next start paints in it
// at once instead of flashing the other scheme until settings.get answers.
const KEY = 'galley.appearance';

export function applyAppearance(appearance: Appearance): void {
  const root = document.documentElement;
  if (appearance === 'system') delete root.dataset.theme;
  else root.dataset.theme = appearance;
  try {
    localStorage.setItem(KEY, appearance);
  } catch {
    // Storage refused (private window, full): the setting still applies now.
  }
}

function stored(): Appearance | null {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' || v === 'system' ? v : null;
  } catch {
    return null;
  }
}

const initial = stored();
if (initial) applyAppearance(initial);

/** Applies the workstation's stored appearance once someone is at the keyboard. */
export function useAppearance(client: GalleyClient, personId: string | null): void {
  useEffect(() => {
    if (!personId) return;
    let live = true;
    client.call('settings.get', {}).then(
      (s) => live && applyAppearance(s.appearance),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [client, personId]);
}
