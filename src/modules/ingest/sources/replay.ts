import { basename } from "node:path";
import { TickflowError } from "../../../runtime/errors.ts";
import { sleep } from "../../../runtime/retry.ts";
import { createProgress, fileIdentity, Pacer, ReplayFile, type ReplayRecord } from "../../replay/index.ts";
import {
  type DecodeContext,
  type DecodedFrame,
  decodeFinnhubFrame,
  decodeTrades,
  rejectFrame,
} from "../decode.ts";
import type { SourceContext, TradeSource } from "./types.ts";

/** Malformed lines logged one by one per file; past that they are only counted and dead-lettered. */
const LOGGED_MALFORMED_LINES = 100;

const decodeRecord = (record: ReplayRecord, ctx: DecodeContext): DecodedFrame => {
  if (record.kind === "frame") return decodeFinnhubFrame(record.text, ctx);
  if (record.kind === "invalid") return rejectFrame("frame_invalid", record.text, ctx);
  const frame = decodeTrades([record.trade], ctx.idPrefix!, ctx);
  for (const rejection of frame.rejections) rejection.payload = record.text;
  return frame;
};

/** Fails with CONFIG_INVALID naming every file of `files` that does not exist. */
export const assertReplayFiles = async (files: readonly string[]): Promise<void> => {
  const missing = [];
  for (const path of files) if (!(await Bun.file(path).exists())) missing.push(path);
  if (missing.length > 0)
    throw new TickflowError("CONFIG_INVALID", `replay file not found: ${missing.join(", ")}`);
};

/**
 * Replays files in order. Trade ids are `<file identity>:<line>:<index>` and `seq` is the trade's position
 * in the file, so a replay is deterministic and a second replay of the same file is idempotent downstream.
 * Unlike a socket, a file can wait: every frame waits for room in the sink, so nothing is dropped.
 */
export const createReplaySource = (ctx: SourceContext, files: readonly string[]): TradeSource => {
  const { sink, logger, options } = ctx;

  const replayFile = async (path: string, pacer: Pacer, signal: AbortSignal) => {
    const name = basename(path);
    const source = `replay:${name}`;
    const decodeCtx: DecodeContext = { source, now: 0, seq: 0, idPrefix: await fileIdentity(path) };
    const identity = decodeCtx.idPrefix;
    const file = new ReplayFile(path);
    const progress = createProgress(path, Bun.file(path).size);
    const state = { bytesRead: 0, trades: 0, rejected: 0 };
    let loggedLines = 0;
    logger.info({ file: path, format: file.format, identity }, `replaying ${name}`);
    for await (const record of file.records()) {
      if (signal.aborted) break;
      decodeCtx.now = Date.now();
      decodeCtx.idPrefix = `${identity}:${record.line}`;
      const frame = decodeRecord(record, decodeCtx);
      decodeCtx.seq = frame.nextSeq;
      state.rejected += frame.rejections.length;
      if (frame.rejections.length > 0 && ++loggedLines <= LOGGED_MALFORMED_LINES) {
        const reasons = frame.rejections.map((rejection) => rejection.reason).join(", ");
        const what = frame.trades.length === 0 ? "skipped" : "has rejected trades";
        logger.warn(
          { file: path, line: record.line, reasons },
          `${name} line ${record.line} ${what}: ${reasons}`,
        );
        if (loggedLines === LOGGED_MALFORMED_LINES) {
          logger.warn({ file: path }, `${name}: further bad lines are only counted and dead-lettered`);
        }
      }
      const first = frame.trades[0];
      const delay = first ? pacer.delayFor(first.timestamp) : 0;
      if (
        delay > 0 &&
        !(await sleep(delay, signal).then(
          () => true,
          () => false,
        ))
      )
        break;
      await sink.whenReady();
      sink.offer(frame, decodeCtx.now, { source, location: `${name} line ${record.line}` });
      state.trades += frame.trades.length;
      state.bytesRead = file.bytesRead;
      progress.update(state);
    }
    progress.done(state);
    logger.info(
      { file: path, ...state },
      `replayed ${name}: ${state.trades} trades, ${state.rejected} rejected`,
    );
  };

  return {
    name: "replay",
    finite: true,
    async run(signal) {
      await assertReplayFiles(files);
      const pacer = new Pacer(options.replay.speed);
      for (const path of files) {
        if (signal.aborted) return;
        await replayFile(path, pacer, signal);
      }
    },
  };
};
