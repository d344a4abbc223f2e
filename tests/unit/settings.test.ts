import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signIn, tempBackend } from '../support/backend.ts';

describe('Settings → Appearance', () => {
  let backend: ReturnType<typeof tempBackend>;
  beforeEach(async () => {
    backend = tempBackend();
    await signIn(backend, 'Amara Osei', 'reporter');
  });
  afterEach(() => backend.remove());

  it('follows the system until someone chooses, and a reporter may choose Dark', async () => {
    expect((await backend.invoke('settings.get', {})).appearance).toBe('system');
    const after = await backend.invoke('settings.update', { appearance: 'dark' });
    expect(after).toMatchObject({ appearance: 'dark', retention: { mode: 'keep-all' } });
    expect((await backend.invoke('settings.get', {})).appearance).toBe('dark');
  });

  it('a reporter who also sends retention changes nothing: retention stays an editor’s call', async () => {
    const result = await backend.call('settings.update', { appearance: 'dark', retention: { mode: 'thin-autosaves', olderThanDays: 30 } });
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await backend.invoke('settings.get', {})).toEqual({ retention: { mode: 'keep-all' }, appearance: 'system' });
  });

  it('an editor changes retention without touching the appearance', async () => {
    await backend.invoke('settings.update', { appearance: 'light' });
    await signIn(backend, 'Rosa Imbert', 'editor');
    await backend.invoke('settings.update', { retention: { mode: 'thin-autosaves', olderThanDays: 90 } });
    expect(await backend.invoke('settings.get', {})).toEqual({ retention: { mode: 'thin-autosaves', olderThanDays: 90 }, appearance: 'light' });
  });

  it('refuses an appearance it does not know', async () => {
    const result = await backend.call('settings.update', { appearance: 'sepia' } as never);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});
