/** One dispatched Server-Sent Event. */
export interface SseEvent {
  id: string | undefined;
  event: string;
  data: unknown;
}

/**
 * Reads an event stream the way EventSource does: frames end with a blank line, `id:` sets the last
 * event id (even on a frame without data), frames with data are dispatched as events.
 */
export class SseReader {
  readonly events: SseEvent[] = [];
  lastEventId: string | undefined;
  ended = false;
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  #buffer = "";

  constructor(response: Response) {
    if (!response.body) throw new Error("response has no body");
    this.#reader = response.body.getReader();
  }

  /** Reads until `condition` holds; fails after `timeoutMs` or when the stream ends first. */
  async until(
    condition: (events: SseEvent[]) => boolean,
    timeoutMs = 5_000,
    what = "events",
  ): Promise<SseEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while (!condition(this.events)) {
      if (this.ended) throw new Error(`stream ended before ${what}`);
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`timed out waiting for ${what}`);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), remaining);
      });
      const result = await Promise.race([this.#reader.read(), timeout]);
      clearTimeout(timer);
      if (result === "timeout") throw new Error(`timed out waiting for ${what}`);
      if (result.done) this.ended = true;
      else this.#parse(this.#decoder.decode(result.value, { stream: true }));
    }
    return this.events;
  }

  /** Reads until the stream ends. */
  async end(timeoutMs = 5_000): Promise<void> {
    await this.until(() => this.ended, timeoutMs, "the end of the stream").catch((error: Error) => {
      if (!this.ended) throw error;
    });
  }

  /** Events of `type`, e.g. "trade". */
  of(type: string): SseEvent[] {
    return this.events.filter((event) => event.event === type);
  }

  /** Disconnects, as a client going away. */
  async cancel(): Promise<void> {
    await this.#reader.cancel();
  }

  #parse(text: string): void {
    this.#buffer += text;
    let end = this.#buffer.indexOf("\n\n");
    while (end >= 0) {
      const frame = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 2);
      let event = "message";
      let data: string | undefined;
      for (const line of frame.split("\n")) {
        const colon = line.indexOf(": ");
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? "" : line.slice(colon + 2);
        if (field === "id") this.lastEventId = value;
        else if (field === "event") event = value;
        else if (field === "data") data = data === undefined ? value : `${data}\n${value}`;
      }
      if (data !== undefined) this.events.push({ id: this.lastEventId, event, data: JSON.parse(data) });
      end = this.#buffer.indexOf("\n\n");
    }
  }
}
