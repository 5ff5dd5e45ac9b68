import { z } from "zod";
import { TickflowError } from "../errors.ts";

/** Where a page ended: the last row's time and, for trades, its id (ties share a millisecond). */
export const cursorSchema = z.object({ t: z.number().int(), id: z.string().optional() });
export type CursorPosition = z.infer<typeof cursorSchema>;

export const encodeCursor = (position: CursorPosition) =>
  Buffer.from(JSON.stringify(position)).toString("base64url");

/** Decodes a cursor from a client; anything else than one we issued is a 400, naming the parameter. */
export const decodeCursor = (cursor: string): CursorPosition => {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
  } catch (error) {
    throw new TickflowError("BAD_REQUEST", "cursor is not a cursor returned by this API", {
      cause: error,
      details: { parameter: "cursor" },
    });
  }
};
