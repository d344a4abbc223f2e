import { z } from 'zod';

/**
 * Settings → Appearance: follow the system's light or dark preference (the default),
 * or pin one. Kept with the workstation's settings.
 */
export const Appearance = z.enum(['system', 'light', 'dark']);
export type Appearance = z.infer<typeof Appearance>;

/** The choice's options as a person reads them (UI names). */
export const APPEARANCE_LABELS: Record<Appearance, string> = { system: 'System', light: 'Light', dark: 'Dark' };
