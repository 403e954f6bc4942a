/** One HTTP request a channel sends: JSON for most types, plain text with headers for ntfy. */
export interface ChannelMessage {
  headers: Record<string, string>;
  body: string;
}

export const json = (body: unknown): ChannelMessage => ({
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});
