/**
 * The Content-Security-Policy for the renderer, in Electron and in browser mode. No
 * inline script, no eval, no plugins, no framing, no remote anything: even if hostile
 * markup reached the DOM it could not run or phone home. `connectSources` adds the
 * WebSocket of browser mode.
 */
export function contentSecurityPolicy(connectSources: string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self' ${connectSources.join(' ')}`.trim(),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "frame-src 'none'",
    "worker-src 'self'",
  ].join('; ');
}
