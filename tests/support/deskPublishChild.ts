import { randomUUID } from 'node:crypto';
import { adapterFor } from '../../electron/cms/index.ts';
import type { CmsAdapter } from '../../electron/cms/types.ts';
import { keyFileBox } from '../../electron/services/secrets.ts';
import type { DeskContext } from '../../desk/context.ts';
import { openPool } from '../../desk/db/pool.ts';
import { startPublishingWorker } from '../../desk/publisher.ts';

/**
 * A desk process that only publishes, for the kill test in deskPublishing.test.ts:
 * `node --import tsx tests/support/deskPublishChild.ts` with DESK_DB_URL (the desk database),
 * DESK_KEY_DIR (the sealing key's folder, shared with the test's desk) and LEASE_MS.
 * With HANG_AFTER_CREATE=1 its adapter creates the post for real and then never
 * answers, so the test can SIGKILL it with the post made and the answer lost — the
 * moment a second post could be made. It prints `process <id>` when ready and
 * `created` once the CMS has the post.
 */
const url = process.env.DESK_DB_URL;
const keyDir = process.env.DESK_KEY_DIR;
if (!url || !keyDir) throw new Error('Set DESK_DB_URL and DESK_KEY_DIR');
const hang = process.env.HANG_AFTER_CREATE === '1';

function hangingAfterCreate(adapter: CmsAdapter): CmsAdapter {
  return {
    ...adapter,
    async createArticle(article) {
      await adapter.createArticle(article);
      process.stdout.write('created\n');
      return new Promise(() => undefined);
    },
  };
}

const ctx: DeskContext = {
  pool: openPool(url, 4),
  now: Date.now,
  processId: `child:${process.pid}:${randomUUID().slice(0, 8)}`,
  secrets: keyFileBox(keyDir),
  adapterFactory: (config, secret, options) => {
    const adapter = adapterFor(config, secret, options);
    return hang ? hangingAfterCreate(adapter) : adapter;
  },
  kickPublishing: () => undefined,
};
startPublishingWorker(ctx, { concurrency: 1, leaseMs: Number(process.env.LEASE_MS ?? 60_000), pollMs: 100 });
process.stdout.write(`process ${ctx.processId}\n`);
