import { useCallback, useEffect, useState } from 'react';
import {
  CMS_TYPES,
  CMS_TYPE_LABELS,
  SECRET_LABELS,
  STAFF_TOKEN_LABEL,
  sameCredentials,
  type CmsType,
  type PublishTarget,
  type TargetConfig,
} from '../../../shared/publishing.ts';
import { useClient, useEvent } from '../api/context.tsx';
import { describeError } from '../errors.ts';

type Form = {
  id?: string;
  type: CmsType;
  name: string;
  siteUrl: string;
  username: string;
  folder: string;
  secret: string;
  hasSecret: boolean;
  staffToken: string;
  hasStaffToken: boolean;
  /** The saved configuration the stored secrets were given for (editing only). */
  saved: TargetConfig | null;
};

const blank = (): Form => ({ type: 'wordpress', name: '', siteUrl: '', username: '', folder: '', secret: '', hasSecret: false, staffToken: '', hasStaffToken: false, saved: null });

/** The stored secrets still apply: same type, site and username (the back end refuses them otherwise). */
const keepsStored = (f: Form) => Boolean(f.id && f.saved && sameCredentials(f.saved, toConfig(f)));

function toConfig(f: Form): TargetConfig {
  switch (f.type) {
    case 'wordpress':
      return { type: 'wordpress', siteUrl: f.siteUrl, username: f.username };
    case 'ghost':
      return { type: 'ghost', siteUrl: f.siteUrl };
    case 'webhook':
      return { type: 'webhook', siteUrl: f.siteUrl };
    case 'folder':
      return { type: 'folder', folder: f.folder };
  }
}

function fromTarget(t: PublishTarget): Form {
  const c = t.config;
  return {
    id: t.id,
    type: c.type,
    name: t.name,
    siteUrl: 'siteUrl' in c ? c.siteUrl : '',
    username: c.type === 'wordpress' ? c.username : '',
    folder: c.type === 'folder' ? c.folder : '',
    secret: '',
    hasSecret: t.hasSecret,
    staffToken: '',
    hasStaffToken: t.hasStaffToken,
    saved: c,
  };
}

/** A secret's box: never filled from the store; says when leaving it empty keeps the stored one. */
function SecretField(props: { label: string; value: string; onChange: (value: string) => void; stored: boolean; otherwise?: string }) {
  return (
    <label>
      {props.label}
      <input
        type="password"
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        autoComplete="new-password"
        placeholder={props.stored ? 'Stored — leave empty to keep it' : (props.otherwise ?? '')}
      />
    </label>
  );
}

function describe(c: TargetConfig): string {
  return c.type === 'folder' ? c.folder : c.type === 'wordpress' ? `${c.siteUrl} as ${c.username}` : c.siteUrl;
}

/**
 * Settings → **Publish targets** (UI.md). Secrets go to the back end once, are sealed
 * there, and never come back: the form only learns whether one is stored, and
 * leaving the secret box empty keeps it.
 */
export function PublishTargets({ editor }: { editor: boolean }) {
  const client = useClient();
  const [targets, setTargets] = useState<PublishTarget[] | null>(null);
  const [storage, setStorage] = useState<'os-keychain' | 'key-file' | 'desk'>('key-file');
  const [form, setForm] = useState<Form | null>(null);
  const [result, setResult] = useState<{ ok: boolean; message: string; warnings: string[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    client.call('publishing.targets', {}).then(
      (r) => {
        setTargets(r.targets);
        setStorage(r.secretStorage);
      },
      (e: unknown) => setError(describeError(e)),
    );
  }, [client]);
  useEffect(load, [load]);
  useEvent(
    'publishing.changed',
    useCallback((p) => p.documentId === null && load(), [load]),
  );

  const set = (change: Partial<Form>) => {
    setForm((f) => (f ? { ...f, ...change } : f));
    setResult(null);
  };
  const secretInput = (f: Form) => ({
    // Empty keeps a stored secret only for the same site; otherwise the back end asks for it again.
    ...(f.secret ? { secret: f.secret } : f.id && f.hasSecret ? {} : { secret: '' }),
    ...(f.type === 'ghost' && f.staffToken.trim() ? { staffToken: f.staffToken.trim() } : {}),
  });

  const test = async () => {
    if (!form) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await client.call('publishing.testTarget', { ...(form.id ? { id: form.id } : {}), config: toConfig(form), ...secretInput(form) }));
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  const save = async () => {
    if (!form) return;
    setBusy(true);
    setError(null);
    try {
      await client.call('publishing.saveTarget', { ...(form.id ? { id: form.id } : {}), name: form.name, config: toConfig(form), ...secretInput(form) });
      setForm(null);
      setResult(null);
      load();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  const remove = async (t: PublishTarget) => {
    if (!window.confirm(`Remove the publish target “${t.name}”? Posts already on it stay there.`)) return;
    try {
      await client.call('publishing.removeTarget', { id: t.id });
      load();
    } catch (e) {
      setError(describeError(e));
    }
  };

  const secretLabel = form ? SECRET_LABELS[form.type] : null;
  return (
    <section aria-labelledby="targets-title" className="publish-targets">
      <h3 id="targets-title">Publish targets</h3>
      {targets && targets.length === 0 && <p className="hint">No publish targets: nothing can be published until one is added.</p>}
      {targets && targets.length > 0 && (
        <ul aria-label="Publish targets">
          {targets.map((t) => (
            <li key={t.id}>
              <strong>{t.name}</strong> — {CMS_TYPE_LABELS[t.config.type]}, {describe(t.config)}
              {t.pausedReason && (
                <span className="error" role="note">
                  {' '}
                  Paused: {t.pausedReason}
                </span>
              )}
              {editor && (
                <>
                  {' '}
                  <button type="button" onClick={() => setForm(fromTarget(t))} aria-label={`Edit ${t.name}`}>
                    Edit
                  </button>{' '}
                  <button type="button" onClick={() => remove(t)} aria-label={`Remove ${t.name}`}>
                    Remove
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {editor && !form && (
        <button type="button" onClick={() => setForm(blank())}>
          Add target
        </button>
      )}
      {!editor && <p className="hint">Only an editor can add or change publish targets.</p>}
      {form && (
        <form
          className="target-form"
          aria-label={form.id ? `Edit ${form.name}` : 'New publish target'}
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <label>
            CMS type
            <select value={form.type} onChange={(e) => set({ type: e.target.value as CmsType })}>
              {CMS_TYPES.map((t) => (
                <option key={t} value={t}>
                  {CMS_TYPE_LABELS[t]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Name
            <input value={form.name} onChange={(e) => set({ name: e.target.value })} required maxLength={200} />
          </label>
          {form.type !== 'folder' && (
            <label>
              Site URL
              <input type="url" value={form.siteUrl} onChange={(e) => set({ siteUrl: e.target.value })} required placeholder="https://news.example.org" />
            </label>
          )}
          {form.type === 'wordpress' && (
            <label>
              Username
              <input value={form.username} onChange={(e) => set({ username: e.target.value })} required autoComplete="off" />
            </label>
          )}
          {form.type === 'folder' && (
            <label>
              Folder
              <input value={form.folder} onChange={(e) => set({ folder: e.target.value })} required placeholder="/home/desk/published" />
            </label>
          )}
          {secretLabel && (
            <SecretField label={secretLabel} value={form.secret} onChange={(secret) => set({ secret })} stored={form.hasSecret && keepsStored(form)} />
          )}
          {secretLabel && form.id && form.hasSecret && !keepsStored(form) && (
            <p className="hint" role="note">
              The site changed: enter the {secretLabel} again. Galley sends a stored secret only to the site it was given for.
            </p>
          )}
          {form.type === 'ghost' && (
            <SecretField
              label={STAFF_TOKEN_LABEL}
              value={form.staffToken}
              onChange={(staffToken) => set({ staffToken })}
              stored={form.hasStaffToken && keepsStored(form)}
              otherwise="Optional: needed for bios"
            />
          )}
          {form.type === 'ghost' && (
            <p className="hint">
              Bios need a Staff access token: Ghost does not let an integration’s Admin API key edit staff users. Copy it from Ghost (your staff profile → Staff
              access token); an Administrator’s can update everyone’s bio.
            </p>
          )}
          {secretLabel && (
            <p className="hint">
              {storage === 'desk'
                ? 'Stored sealed on the newsroom desk; never shown again.'
                : storage === 'os-keychain'
                  ? 'Stored encrypted with the operating system’s keychain; never shown again.'
                  : 'Stored encrypted with a key file in the data folder that only you can read; never shown again.'}
            </p>
          )}
          <div className="form-actions">
            <button type="button" onClick={test} disabled={busy}>
              Test connection
            </button>
            <button type="submit" disabled={busy}>
              Save target
            </button>
            <button type="button" onClick={() => setForm(null)}>
              Discard
            </button>
          </div>
          {busy && <p aria-live="polite">Checking…</p>}
          {result && (
            <div role="status" className={result.ok ? 'ok' : 'error'}>
              <p>{result.message}</p>
              {result.warnings.map((w) => (
                <p key={w} className="hint">
                  {w}
                </p>
              ))}
            </div>
          )}
        </form>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}
