import { useEffect, useState } from 'react';
import { DEFAULT_STYLE, compileRules, type CompiledRules, type StyleConfig } from '../../../shared/style/houseStyle.ts';
import type { GalleyClient } from '../../../shared/contract.ts';

type Loaded = { config: StyleConfig; rules: CompiledRules; problems: string[] };
let cached: Promise<Loaded> | null = null;

/** The house-style settings, read once per window (house-style.json in the data folder). */
export function useStyle(client: GalleyClient): Loaded | null {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  useEffect(() => {
    cached ??= client.call('style.config', {}).then(
      (r) => ({ config: r.config, rules: compileRules(r.config), problems: r.problems }),
      () => ({ config: DEFAULT_STYLE, rules: compileRules(DEFAULT_STYLE), problems: ['House-style rules could not be loaded; using the built-in ones.'] }),
    );
    let live = true;
    void cached.then((l) => live && setLoaded(l));
    return () => {
      live = false;
    };
  }, [client]);
  return loaded;
}
