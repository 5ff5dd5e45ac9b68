import { afterAll, expect, test } from "bun:test";
import { LineReader } from "../../../src/modules/replay/index.ts";
import { tempFiles } from "./support.ts";

const files = tempFiles();
afterAll(() => files.remove());

const read = async (path: string) => {
  const lines = [];
  for await (const line of new LineReader(path).lines()) lines.push(line);
  return lines;
};

test("numbers lines from 1, strips CRLF, and keeps a last line without newline", async () => {
  const path = files.write("a.txt", "one\r\ntwo\n\nfour");
  expect(await read(path)).toEqual([
    { number: 1, text: "one" },
    { number: 2, text: "two" },
    { number: 3, text: "" },
    { number: 4, text: "four" },
  ]);
});

test("streams a file larger than one chunk without splitting lines or multi-byte characters", async () => {
  const lines = Array.from({ length: 50_000 }, (_, i) => `line ${i} ünïcødé €`);
  const path = files.write("big.txt", `${lines.join("\n")}\n`);
  const reader = new LineReader(path);
  const read: string[] = [];
  for await (const line of reader.lines()) read.push(line.text);
  expect(read).toEqual(lines);
  expect(reader.bytesRead).toBe(Bun.file(path).size);
});
