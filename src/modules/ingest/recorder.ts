import { closeSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";

/** Appends raw frames to an NDJSON file (`--record FILE`), in the format replay reads. */
export interface FrameRecorder {
  record(text: string): void;
  /** Flushes and closes the file; idempotent. */
  close(): Promise<void>;
}

const LINE_BREAK = /\r?\n/g;

export const openFrameRecorder = (path: string): FrameRecorder => {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, "a");
  const sink = Bun.file(fd).writer({ highWaterMark: 64 * 1024 });
  let closing: Promise<void> | undefined;
  return {
    record(text) {
      // Outside JSON strings a line break is whitespace, so this keeps one frame per line losslessly.
      sink.write(text.includes("\n") ? text.replace(LINE_BREAK, " ") : text);
      sink.write("\n");
    },
    close() {
      closing ??= (async () => {
        await sink.end();
        closeSync(fd);
      })();
      return closing;
    },
  };
};
