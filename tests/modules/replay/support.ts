import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A private temporary folder; `files.write` creates files in it and `files.remove` deletes it all. */
export const tempFiles = () => {
  const folder = mkdtempSync(join(tmpdir(), "tickflow-replay-"));
  return {
    folder,
    write(name: string, content: string) {
      const path = join(folder, name);
      writeFileSync(path, content);
      return path;
    },
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
};
