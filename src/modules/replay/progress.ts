import { basename } from "node:path";

export interface ProgressState {
  bytesRead: number;
  trades: number;
  rejected: number;
}

export interface Progress {
  update(state: ProgressState): void;
  /** Prints the final state and ends the line. */
  done(state: ProgressState): void;
}

const REFRESH_MS = 200;

const format = (file: string, totalBytes: number, state: ProgressState, startedAt: number) => {
  const percent = totalBytes > 0 ? Math.min(100, (state.bytesRead / totalBytes) * 100) : 100;
  const seconds = Math.max((Date.now() - startedAt) / 1000, 0.001);
  const rate = Math.round(state.trades / seconds).toLocaleString("en-US");
  return `replay ${file}: ${percent.toFixed(1)}%  ${state.trades.toLocaleString("en-US")} trades  ${rate}/s  ${state.rejected} rejected`;
};

/**
 * A progress line on stderr, rewritten in place, only when stderr is a terminal (logs and pipes stay clean).
 */
export const createProgress = (
  path: string,
  totalBytes: number,
  stream: { isTTY?: boolean; write(text: string): unknown } = process.stderr,
): Progress => {
  if (stream.isTTY !== true) return { update() {}, done() {} };
  const file = basename(path);
  const startedAt = Date.now();
  let shownAt = 0;
  return {
    update(state) {
      const now = Date.now();
      if (now - shownAt < REFRESH_MS) return;
      shownAt = now;
      stream.write(`\r\x1b[2K${format(file, totalBytes, state, startedAt)}`);
    },
    done(state) {
      stream.write(`\r\x1b[2K${format(file, totalBytes, state, startedAt)}\n`);
    },
  };
};
