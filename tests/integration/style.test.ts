import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signIn, tempBackend } from '../support/backend.ts';

describe('house-style.json', () => {
  let backend: ReturnType<typeof tempBackend>;
  beforeEach(async () => {
    backend = tempBackend();
    await signIn(backend, 'Amara Osei', 'reporter');
  });
  afterEach(() => backend.remove());

  it('uses the built-in rules when there is no file', async () => {
    expect(await backend.invoke('style.config', {})).toMatchObject({ config: { headlineMaxChars: 90, rules: [] }, problems: [] });
  });

  it('adds a newsroom’s rules and reports the broken ones without losing the good ones', async () => {
    writeFileSync(
      join(backend.dataDir, 'house-style.json'),
      JSON.stringify({
        headlineMaxChars: 70,
        rules: [
          { id: 'ok-rule', pattern: 'harbour', message: 'Use “harbor”', why: 'Ledger style: American spelling', replacement: 'harbor' },
          { id: 'bad-regex', pattern: '(unclosed', message: 'x', why: 'y' },
          { id: 'no message', pattern: 'x' },
        ],
      }),
    );
    const { config, problems } = await backend.invoke('style.config', {});
    expect(config.headlineMaxChars).toBe(70);
    expect(config.rules.map((r) => r.id)).toEqual(['ok-rule']);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/rules\[1\] \(bad-regex\): the pattern is not a valid regular expression/);
    expect(problems[1]).toMatch(/rules\[2\]: id: Rule ids are letters/);
  });

  it('says so when the file is not JSON', async () => {
    writeFileSync(join(backend.dataDir, 'house-style.json'), '{ not json');
    const { config, problems } = await backend.invoke('style.config', {});
    expect(config.rules).toEqual([]);
    expect(problems[0]).toMatch(/house-style\.json is not valid JSON/);
  });
});
