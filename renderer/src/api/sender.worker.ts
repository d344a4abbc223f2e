// Sends one large request off the window's main thread for client.ts and hands back
// the status and body text. It knows nothing of the contract: the window validates.
type Job = { id: number; url: string; headers: Record<string, string>; body: string };
type Reply = { id: number; status: number; text: string } | { id: number; unreachable: true };

const scope = self as unknown as { onmessage: ((event: MessageEvent<Job>) => void) | null; postMessage: (reply: Reply) => void };

scope.onmessage = async ({ data: { id, url, headers, body } }) => {
  try {
    const response = await fetch(url, { method: 'POST', headers, body });
    scope.postMessage({ id, status: response.status, text: await response.text() });
  } catch {
    scope.postMessage({ id, unreachable: true });
  }
};
