import { z } from 'zod';

/** Who may do what is decided by role; see shared/permissions.ts. */
export const ROLES = ['reporter', 'editor', 'photo_desk'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** The words a person sees for each role (UI.md: Reporter, Editor, Photo desk). */
export const ROLE_LABELS: Record<Role, string> = {
  reporter: 'Reporter',
  editor: 'Editor',
  photo_desk: 'Photo desk',
};

export const PersonName = z
  .string()
  .trim()
  .min(1, 'Enter a name')
  .max(120, 'A name is at most 120 characters');

export const Person = z.object({
  id: z.string(),
  name: z.string(),
  role: Role,
  createdAt: z.number(),
});
export type Person = z.infer<typeof Person>;
