/** One POST to the back end, as sent from the window or from the sender worker. */
export type Request = { url: string; headers: Record<string, string>; body: string };
/** The answer's status and text, or null when the back end could not be reached. */
export type Reply = { status: number; text: string } | null;

export async function send({ url, headers, body }: Request): Promise<Reply> {
  try {
    const response = await fetch(url, { method: 'POST', headers, body });
    return { status: response.status, text: await response.text() };
  } catch {
    return null;
  }
}
