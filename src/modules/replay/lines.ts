/** One line of a file, 1-based, without its line break. */
export interface Line {
  number: number;
  text: string;
}

/**
 * Streams the lines of a file without loading it whole. `bytesRead` follows the reader, for progress.
 * A trailing line without a final newline is still yielded.
 */
export class LineReader {
  bytesRead = 0;
  readonly #path: string;

  constructor(path: string) {
    this.#path = path;
  }

  async *lines(): AsyncGenerator<Line> {
    const decoder = new TextDecoder();
    let rest = "";
    let number = 0;
    for await (const chunk of Bun.file(this.#path).stream()) {
      this.bytesRead += chunk.byteLength;
      const text = rest + decoder.decode(chunk, { stream: true });
      let start = 0;
      for (let end = text.indexOf("\n"); end !== -1; end = text.indexOf("\n", start)) {
        yield { number: ++number, text: stripCr(text.slice(start, end)) };
        start = end + 1;
      }
      rest = text.slice(start);
    }
    rest += decoder.decode();
    if (rest.length > 0) yield { number: ++number, text: stripCr(rest) };
  }
}

const stripCr = (line: string) => (line.endsWith("\r") ? line.slice(0, -1) : line);
