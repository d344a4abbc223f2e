import { CmsError } from '../../electron/cms/types.ts';

/**
 * The CmsError a call fails with, for asserting its kind and message. Any other
 * failure is rethrown as it is, and success is an error, so a test cannot pass by
 * accident.
 */
export async function cmsErrorOf(promise: Promise<unknown>): Promise<CmsError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CmsError) return error;
    throw error;
  }
  throw new Error('expected the call to fail with a CmsError, but it succeeded');
}
