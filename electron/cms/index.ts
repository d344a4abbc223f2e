import type { TargetConfig } from '../../shared/publishing.ts';
import { folderAdapter } from './folder.ts';
import { ghostAdapter } from './ghost.ts';
import type { CmsAdapter } from './types.ts';
import { webhookAdapter } from './webhook.ts';
import { wordpressAdapter } from './wordpress.ts';

/** The adapter for a target's settings and decrypted secret. */
export function adapterFor(config: TargetConfig, secret: string, options: { timeoutMs?: number } = {}): CmsAdapter {
  switch (config.type) {
    case 'wordpress':
      return wordpressAdapter({ config, secret, ...options });
    case 'ghost':
      return ghostAdapter({ config, secret, ...options });
    case 'webhook':
      return webhookAdapter({ config, secret, ...options });
    case 'folder':
      return folderAdapter({ config, secret, ...options });
  }
}

export type AdapterFactory = typeof adapterFor;
