import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handlers } from '../../electron/handlers.ts';
import { OPERATION_NAMES, contract } from '../../shared/contract.ts';
import { GalleyError } from '../../shared/errors.ts';
import { ROLES } from '../../shared/people.ts';
import { signIn, tempBackend } from '../support/backend.ts';

describe('the contract', () => {
  let backend: ReturnType<typeof tempBackend>;
  beforeEach(() => {
    backend = tempBackend();
  });
  afterEach(() => backend.remove());

  it('has a handler for every operation and no handler without an operation', () => {
    expect(Object.keys(handlers).sort()).toEqual([...OPERATION_NAMES].sort());
    for (const name of OPERATION_NAMES) expect(typeof handlers[name]).toBe('function');
  });

  it('rejects input that fails the schema with an error naming the field', async () => {
    await signIn(backend, 'Amara Osei', 'reporter');
    const result = await backend.call('documents.create', { kind: 'poem' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid_input');
    expect(result.error.issues?.map((i) => i.path)).toContain('kind');
    expect(result.error.message).toMatch(/kind/);
  });

  it('names nested fields of a bad working copy', async () => {
    await signIn(backend, 'Amara Osei', 'reporter');
    const doc = await backend.invoke('documents.create', { kind: 'article' });
    const content = { ...doc.content, fields: { ...doc.content.fields, headline: 42 } };
    const result = await backend.call('documents.saveWorking', { id: doc.id, version: doc.version, content });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.issues?.map((i) => i.path)).toContain('content.fields.headline');
  });

  it('answers garbage with an error instead of crashing', async () => {
    for (const input of [null, 'text', 42, [], { extra: true }]) {
      const result = await backend.call('people.create', input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('invalid_input');
    }
    const unknown = await backend.call('documents.explode', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown_operation' } });
    const proto = await backend.call('__proto__', {});
    expect(proto).toMatchObject({ ok: false, error: { code: 'unknown_operation' } });
  });

  it('refuses every call that needs a person before anyone has said who they are', async () => {
    for (const name of OPERATION_NAMES.filter((n) => contract[n].roles !== 'nobody-yet')) {
      const result = await backend.call(name, {});
      expect(result.ok).toBe(false);
      // Input is checked first, so an empty input may be refused as invalid; never allowed.
      if (!result.ok) expect(['no_person', 'invalid_input']).toContain(result.error.code);
    }
    expect(await backend.call('documents.list', {})).toMatchObject({ ok: false, error: { code: 'no_person' } });
  });

  it('refuses a role the contract does not allow, whatever the input', async () => {
    const restricted = OPERATION_NAMES.filter((n) => contract[n].roles !== 'nobody-yet' && contract[n].roles.length < ROLES.length);
    expect(restricted).toContain('documents.assign');
    const editor = await signIn(backend, 'Rosa Imbert', 'editor');
    const doc = await backend.invoke('documents.create', { kind: 'article' });
    await signIn(backend, 'Amara Osei', 'reporter');
    const refused = await backend.call('documents.assign', { id: doc.id, personId: editor.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    if (!refused.ok) expect(refused.error.message).toMatch(/Reporter may not/);
  });

  it('enforces kind rules in the back end: a reporter cannot create a caption', async () => {
    await signIn(backend, 'Amara Osei', 'reporter');
    await expect(backend.invoke('documents.create', { kind: 'caption' })).rejects.toThrow(GalleyError);
    const result = await backend.call('documents.create', { kind: 'caption' });
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
