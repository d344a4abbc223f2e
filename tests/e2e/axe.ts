import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';
import type { AxeResults, Result } from 'axe-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core in the page and resolves to its violations. The app's CSP allows no
 * inline or injected script tags, so axe goes in through page.evaluate: Playwright runs
 * that over the DevTools protocol (Runtime.evaluate), which the page's CSP does not
 * govern, and axe itself needs no eval.
 *
 * Every rule runs, the experimental ones too: label-content-name-mismatch (a visible
 * label that the accessible name does not contain, which breaks voice control) is one.
 */
export async function axeViolations(page: Page): Promise<Result[]> {
  const loaded = await page.evaluate(() => typeof (window as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: typeof import('axe-core') }).axe;
    const experimental = axe.getRules(['experimental']).map((r) => r.ruleId);
    return axe.run(document, {
      rules: Object.fromEntries(experimental.map((id) => [id, { enabled: true }])),
      resultTypes: ['violations'],
    });
  });
  return (results as AxeResults).violations;
}

/** Each violation as what to fix: rule, help, and the elements it found. */
export function describeViolations(violations: Result[]): string {
  return violations
    .map((v) =>
      [
        `${v.id} (${v.impact ?? 'no impact'}): ${v.help} — ${v.helpUrl}`,
        ...v.nodes.map((n) => `    ${n.target.join(' ')}\n      ${n.failureSummary?.replace(/\n/g, '\n      ') ?? ''}\n      ${n.html.slice(0, 200)}`),
      ].join('\n'),
    )
    .join('\n');
}
