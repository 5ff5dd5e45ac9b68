/**
 * Identity of a file's content: replayed trades are `<identity>:<line>:<index>`, so replaying the same
 * bytes again (under any name) yields the same ids and downstream dedup makes it a no-op.
 * Hashes the file in a streaming pass, so huge files never sit in memory.
 */
export const fileIdentity = async (path: string): Promise<string> => {
  const hasher = new Bun.CryptoHasher("sha256");
  for await (const chunk of Bun.file(path).stream()) hasher.update(chunk);
  return hasher.digest("hex").slice(0, 16);
};
