import { z } from 'zod';

/**
 * Every failure that crosses a transport has this shape, so the renderer shows the
 * same words whether the call went over IPC, HTTP or in-process.
 */
export const ERROR_CODES = [
  'invalid_input',
  'unknown_operation',
  'no_person',
  'forbidden',
  'not_found',
  'conflict',
  // Someone else (or this person's other window) holds the edit lock: unlike a
  // conflict, the same save goes through once the lock is this window's again.
  'locked',
  'damaged',
  'unavailable',
  'disk_full',
  // The newsroom desk: no session, or one that expired or was ended (sign in again).
  'unauthenticated',
  // Too many failed sign-ins: wait before trying again.
  'rate_limited',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ErrorIssue = z.object({ path: z.string(), message: z.string() });
export type ErrorIssue = z.infer<typeof ErrorIssue>;

export const ErrorBody = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  issues: z.array(ErrorIssue).optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export class GalleyError extends Error {
  readonly code: ErrorCode;
  readonly issues: ErrorIssue[] | undefined;
  constructor(code: ErrorCode, message: string, issues?: ErrorIssue[]) {
    super(message);
    this.name = 'GalleyError';
    this.code = code;
    this.issues = issues;
  }
  toBody(): ErrorBody {
    return this.issues ? { code: this.code, message: this.message, issues: this.issues } : { code: this.code, message: this.message };
  }
  static fromBody(body: ErrorBody): GalleyError {
    return new GalleyError(body.code, body.message, body.issues);
  }
}

/** Turns zod's issues into "field: what is wrong" lines a person can act on. */
export function issuesFromZod(error: z.ZodError): ErrorIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(input)',
    message: issue.message,
  }));
}

export function invalidInput(what: string, error: z.ZodError): GalleyError {
  const issues = issuesFromZod(error);
  const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  return new GalleyError('invalid_input', `Invalid input for ${what} — ${summary}`, issues);
}
