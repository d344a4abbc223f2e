import type { TargetConfig } from '../../shared/publishing.ts';
import { folderAdapter } from './folder.ts';
import { ghostAdapter } from './ghost.ts';
import type { CmsAdapter } from './types.ts';
import { webhookAdapter } from './webhook.ts';
import { wordpressAdapter } from './wordpress.ts';

/** The adapter for a target's settings and decrypted secrets (Ghost's optional Staff access token for bios). */
export function adapterFor(config: TargetConfig, secret: string, options: { timeoutMs?: number; staffToken?: string } = {}): CmsAdapter {
  switch (config.type) {
    case 'wordpress':
      return wordpressAdapter({ config, secret, timeoutMs: options.timeoutMs });
    case 'ghost':
      return ghostAdapter({ config, secret, ...options });
    case 'webhook':
      return webhookAdapter({ config, secret, timeoutMs: options.timeoutMs });
    case 'folder':
      return folderAdapter({ config, secret, timeoutMs: options.timeoutMs });
  }
}

export type AdapterFactory = typeof adapterFor;
