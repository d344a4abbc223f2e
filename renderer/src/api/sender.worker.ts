// Sends large requests off the window's main thread for client.ts and hands back the
// status and body text. It knows nothing of the contract: the window validates.
import { send, type Reply, type Request } from './send.ts';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<Request & { id: number }>) => void) | null;
  postMessage: (message: { id: number; reply: Reply }) => void;
};

scope.onmessage = async ({ data: { id, ...request } }) => scope.postMessage({ id, reply: await send(request) });
