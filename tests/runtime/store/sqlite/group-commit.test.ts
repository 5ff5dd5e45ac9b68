import { expect, test } from "bun:test";
import { groupCommit } from "../../../../src/runtime/store/sqlite/group-commit.ts";

/** Resolves after the callbacks already scheduled with setImmediate ran. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

test("writes requested in one turn share one commit, later ones get the next", async () => {
  const commits: number[][] = [];
  const write = groupCommit(async (items: readonly number[]) => {
    commits.push([...items]);
  });
  await Promise.all([write([1, 2]), write([3]), write([])]);
  await write([4]);
  expect(commits).toEqual([[1, 2, 3], [4]]);
});

test("writes requested while a commit is in flight wait for it and go together", async () => {
  const commits: number[][] = [];
  const release = Promise.withResolvers<void>();
  const write = groupCommit(async (items: readonly number[]) => {
    commits.push([...items]);
    if (commits.length === 1) await release.promise;
  });
  const first = write([1]);
  await nextTurn();
  expect(commits).toEqual([[1]]);
  const later = [write([2]), write([3])];
  await nextTurn();
  expect(commits).toEqual([[1]]);
  release.resolve();
  await Promise.all([first, ...later]);
  expect(commits).toEqual([[1], [2, 3]]);
});

test("a failed commit rejects every write that shared it", async () => {
  let fail = true;
  const write = groupCommit(async () => {
    if (fail) throw new Error("disk full");
  });
  const results = await Promise.allSettled([write([1]), write([2])]);
  expect(results.map((result) => result.status)).toEqual(["rejected", "rejected"]);
  fail = false;
  await expect(write([3])).resolves.toBeUndefined();
});

test("the writes a commit released share the next round with those queued meanwhile", async () => {
  const commits: number[][] = [];
  const release = Promise.withResolvers<void>();
  const write = groupCommit(async (items: readonly number[]) => {
    commits.push([...items]);
    if (commits.length === 1) await release.promise;
  });
  const next = write([1]).then(() => write([3]));
  await nextTurn();
  const queued = write([2]);
  release.resolve();
  await Promise.all([next, queued]);
  expect(commits).toEqual([[1], [2, 3]]);
});

test("a sparse round waits for later writes; a dense one goes at once", async () => {
  const commits: number[][] = [];
  const write = groupCommit(
    async (items: readonly number[]) => {
      commits.push([...items]);
    },
    { holdMs: 500, sparse: (items) => items.every((item) => item < 10) },
  );
  await write([1]);
  const held = write([2]);
  await nextTurn();
  await Promise.all([held, write([3])]);
  const dense = write([20]);
  await nextTurn();
  await Promise.all([dense, write([21])]);
  expect(commits).toEqual([[1], [2, 3], [20], [21]]);
});
