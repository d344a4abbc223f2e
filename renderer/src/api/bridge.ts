/**
 * What electron/preload.ts puts on window: one generic invoke and one subscribe,
 * nothing else. Results come back as the back end's CallResult (never a thrown
 * Electron error), so both transports decode answers the same way.
 */
export type GalleyBridge = {
  invoke(name: string, input: unknown): Promise<{ ok: true; value: unknown } | { ok: false; error: unknown }>;
  subscribe(event: string, fn: (payload: unknown) => void): () => void;
};

declare global {
  interface Window {
    galley?: GalleyBridge;
  }
}
