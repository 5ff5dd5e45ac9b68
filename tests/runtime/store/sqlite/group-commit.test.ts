import { expect, test } from "bun:test";
import { groupCommit } from "../../../../src/runtime/store/sqlite/group-commit.ts";

test("writes requested in one turn share one commit, later ones get the next", async () => {
  const commits: number[][] = [];
  const write = groupCommit((items: readonly number[]) => {
    commits.push([...items]);
  });
  await Promise.all([write([1, 2]), write([3]), write([])]);
  await write([4]);
  expect(commits).toEqual([[1, 2, 3], [4]]);
});

test("a failed commit rejects every write that shared it", async () => {
  let fail = true;
  const write = groupCommit(() => {
    if (fail) throw new Error("disk full");
  });
  const results = await Promise.allSettled([write([1]), write([2])]);
  expect(results.map((result) => result.status)).toEqual(["rejected", "rejected"]);
  fail = false;
  await expect(write([3])).resolves.toBeUndefined();
});
