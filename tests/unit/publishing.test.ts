import { describe, expect, it } from 'vitest';
import { cmsMessageOf, errorForStatus, parseRetryAfter } from '../../electron/cms/http.ts';
import { renderPublishHtml } from '../../electron/services/publishHtml.ts';
import { creditLine } from '../../electron/services/publishing.ts';
import { jobStateText, retryDelayMs } from '../../shared/publishing.ts';
import type { RichNode } from '../../shared/richtext.ts';

describe('publishable HTML', () => {
  const body: RichNode = {
    type: 'doc',
    content: [
      { type: 'paragraph', content: [{ type: 'text', text: 'Before <script>alert(1)</script> the vote.' }] },
      { type: 'figure', attrs: { captionId: 'c1', captionOverride: null } },
      { type: 'pullQuote', attrs: { attribution: 'Mayor Ruiz' }, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'We build.' }] }] },
      { type: 'figure', attrs: { captionId: 'c1', captionOverride: 'The same boats, at dusk.' } },
      { type: 'figure', attrs: { captionId: 'gone', captionOverride: null } },
    ],
  };
  const html = renderPublishHtml(
    body,
    new Map([
      [
        'c1',
        {
          src: 'https://cms.example/boats.jpg',
          alt: 'Boats "at" dawn',
          width: 1200,
          height: 800,
          captionHtml: '<p>Boats <em>return</em> at dawn.</p>',
          override: null,
          creditLine: 'Photo: Lena Ortiz/Northwind',
        },
      ],
    ]),
  );

  it('fills figures from the caption document: image, caption, credit; semantic and inert', () => {
    expect(html).toContain(
      '<figure><img src="https://cms.example/boats.jpg" alt="Boats &quot;at&quot; dawn" width="1200" height="800"><figcaption>Boats <em>return</em> at dawn. <span class="credit">Photo: Lena Ortiz/Northwind</span></figcaption></figure>',
    );
    expect(html).toContain('Before &lt;script&gt;alert(1)&lt;/script&gt; the vote.');
    expect(html).toContain('<aside class="pull-quote"><blockquote><p>We build.</p></blockquote><cite>Mayor Ruiz</cite></aside>');
    expect(html).not.toMatch(/style=|data-caption-id|<script/);
  });

  it('uses a per-use caption override and drops a figure whose caption is gone', () => {
    expect(html).toContain('<figcaption>The same boats, at dusk. <span class="credit">Photo: Lena Ortiz/Northwind</span></figcaption>');
    expect(html.match(/<figure>/g)).toHaveLength(2);
  });

  it('writes the credit in the newsroom format', () => {
    expect(creditLine({ credit: 'Lena Ortiz/Northwind', photographer: 'Lena Ortiz' })).toBe('Photo: Lena Ortiz/Northwind');
    expect(creditLine({ credit: '', photographer: 'Lena Ortiz' })).toBe('Photo: Lena Ortiz');
    expect(creditLine({ credit: ' ', photographer: '' })).toBe('');
  });
});

describe('CMS failures', () => {
  it('read Retry-After as seconds or a date', () => {
    expect(parseRetryAfter('30')).toBe(30_000);
    expect(parseRetryAfter('Sat, 28 Nov 2026 09:01:00 GMT', Date.parse('2026-11-28T09:00:00Z'))).toBe(60_000);
    expect(parseRetryAfter('soon')).toBeNull();
  });

  it('sort statuses into kinds and keep the CMS’s words', () => {
    const h = new Headers({ 'retry-after': '7' });
    expect(errorForStatus(503, '', h, 'x')).toMatchObject({ kind: 'retry', retryAfterMs: 7000, status: 503 });
    expect(errorForStatus(429, '', h, 'x').kind).toBe('retry');
    expect(errorForStatus(408, '', new Headers(), 'x').kind).toBe('retry');
    expect(errorForStatus(401, '{"code":"incorrect_password","message":"The password is wrong."}', new Headers(), 'x')).toMatchObject({ kind: 'auth', cmsMessage: 'The password is wrong.' });
    expect(errorForStatus(403, '', new Headers(), 'x').kind).toBe('auth');
    expect(errorForStatus(409, '{"errors":[{"message":"Saving failed!"}]}', new Headers(), 'x')).toMatchObject({ kind: 'conflict', cmsMessage: 'Saving failed!' });
    for (const s of [400, 404, 413, 422]) expect(errorForStatus(s, '<h1>Too big</h1>', new Headers(), 'x').kind).toBe('permanent');
    expect(cmsMessageOf('<html><body><h1>Request Entity Too Large</h1></body></html>')).toBe('Request Entity Too Large');
  });

  it('a CMS that answers 501 Not Implemented is told apart from an outage: permanent, with its words', () => {
    const ghost501 = '{"errors":[{"message":"The server does not support the functionality required to fulfill the request.","type":"NotImplementedError"}]}';
    expect(errorForStatus(501, ghost501, new Headers(), 'Updating the bio')).toMatchObject({
      kind: 'permanent',
      status: 501,
      cmsMessage: 'The server does not support the functionality required to fulfill the request.',
    });
    for (const s of [500, 502, 503, 504]) expect(errorForStatus(s, '', new Headers(), 'x').kind).toBe('retry');
  });

  it('back off exponentially with jitter, and never sooner than Retry-After', () => {
    expect(retryDelayMs(1, null, () => 0)).toBe(1000);
    expect(retryDelayMs(1, null, () => 1)).toBe(2000);
    expect(retryDelayMs(4, null, () => 1)).toBe(16_000);
    expect(retryDelayMs(30, null, () => 1)).toBe(300_000);
    expect(retryDelayMs(1, 120_000, () => 1)).toBe(120_000);
  });

  it('say the job state in words', () => {
    const base = { action: 'publish' as const, lastError: null, nextAttemptAt: null, publishAt: null };
    expect(jobStateText({ ...base, state: 'queued' }, 0)).toBe('Queued');
    expect(jobStateText({ ...base, state: 'sending' }, 0)).toBe('Publishing…');
    expect(jobStateText({ ...base, state: 'done' }, 0)).toBe('Published');
    expect(jobStateText({ ...base, state: 'retrying', nextAttemptAt: 30_000 }, 0)).toBe('Retrying in 30 s');
    expect(jobStateText({ ...base, state: 'failed', lastError: 'Invalid slug' }, 0)).toBe('Failed: Invalid slug');
    expect(jobStateText({ ...base, state: 'conflict' }, 0)).toBe('Conflict: changed in the CMS');
  });
});
