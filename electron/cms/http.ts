import { CmsError } from './types.ts';

/**
 * HTTP for adapters: one place that turns every way a request can fail into a
 * CmsError with a kind (issue #6): network errors, timeouts, 408, 429 and 5xx are
 * `retry` (with Retry-After when sent), 401/403 `auth`, 409 `conflict`, the rest of
 * 4xx `permanent` with the CMS's own message. 501 Not Implemented is `permanent`: the
 * server says it will never do this (Ghost answers it to staff-user edits made with an
 * integration's key), so retrying it only hides the reason.
 */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Retry-After is either seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** The CMS's message from a JSON error body (WordPress `message`, Ghost `errors[0].message`) or the text. */
export function cmsMessageOf(text: string): string {
  try {
    const json = JSON.parse(text) as { message?: unknown; errors?: { message?: unknown; context?: unknown }[] };
    if (typeof json.message === 'string') return json.message;
    const first = json.errors?.[0];
    if (first && typeof first.message === 'string') return typeof first.context === 'string' ? `${first.message} ${first.context}` : first.message;
  } catch {
    // not JSON: fall through to the text itself
  }
  const plain = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return plain.slice(0, 300) || 'no message';
}

export function errorForStatus(status: number, text: string, headers: Headers, what: string): CmsError {
  const cmsMessage = cmsMessageOf(text);
  const retryAfterMs = parseRetryAfter(headers.get('retry-after'));
  if (status === 408 || status === 429 || (status >= 500 && status !== 501)) {
    return new CmsError('retry', `${what}: the CMS answered ${status} (${cmsMessage})`, { status, retryAfterMs, cmsMessage });
  }
  if (status === 401 || status === 403) {
    return new CmsError('auth', `${what}: the CMS refused the credentials (${status}: ${cmsMessage})`, { status, cmsMessage });
  }
  if (status === 409) return new CmsError('conflict', `${what}: ${cmsMessage}`, { status, cmsMessage });
  return new CmsError('permanent', `${what}: ${cmsMessage}`, { status, cmsMessage });
}

export type FetchOptions = RequestInit & { timeoutMs?: number; what: string };

/** fetch that throws CmsError for network failures, timeouts and non-2xx answers. */
export async function cmsFetch(url: string, options: FetchOptions): Promise<Response> {
  return cmsFetchAllowing(url, options, []);
}

/**
 * cmsFetch, except that answers with one of `statuses` come back as responses, for a
 * caller that must read the CMS's error code itself (WordPress's 401 codes say whether
 * the password is wrong or the server dropped the Authorization header).
 */
export async function cmsFetchAllowing(url: string, options: FetchOptions, statuses: readonly number[]): Promise<Response> {
  const { timeoutMs = DEFAULT_TIMEOUT_MS, what, ...init } = options;
  let response: Response;
  try {
    response = await fetch(url, { ...init, redirect: init.redirect ?? 'manual', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const e = error as Error & { cause?: { code?: string; message?: string } };
    const timedOut = e.name === 'TimeoutError' || e.name === 'AbortError';
    const detail = timedOut ? `no answer within ${Math.round(timeoutMs / 1000)} s` : (e.cause?.code ?? e.cause?.message ?? e.message);
    throw new CmsError('retry', `${what}: could not reach the CMS (${detail})`, { cmsMessage: detail });
  }
  if (response.status >= 300 && response.status < 400) {
    const location = response.headers.get('location') ?? '';
    throw new CmsError('permanent', `${what}: the site redirected to ${location || 'another address'}; use that address as the site URL`, {
      status: response.status,
      cmsMessage: `redirect to ${location}`,
    });
  }
  if (!response.ok && !statuses.includes(response.status)) {
    let text = '';
    try {
      text = await response.text();
    } catch {
      // a body cut short: the status still says what happened
    }
    throw errorForStatus(response.status, text, response.headers, what);
  }
  return response;
}

/** Reads a JSON answer; a body cut short or not JSON is retryable (the request may have worked). */
export async function readJson(response: Response, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw new CmsError('retry', `${what}: the answer was cut short (${(error as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new CmsError('retry', `${what}: the CMS's answer was not JSON (${cmsMessageOf(text).slice(0, 120)})`, { status: response.status });
  }
}

export function siteBase(siteUrl: string): string {
  return siteUrl.replace(/\/+$/, '');
}
