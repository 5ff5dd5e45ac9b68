import { expect, test } from "bun:test";
import { groupCommit, type Transaction } from "../../../../src/runtime/store/sqlite/group-commit.ts";

/** Resolves after the callbacks already scheduled with setImmediate ran. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * A transaction that records what each commit carried. `hold(n)` makes the n-th commit (1-based) wait
 * for the promise returned; `fail` makes commits reject.
 */
const recorder = () => {
  const staged: number[] = [];
  const commits: number[][] = [];
  const holds = new Map<number, PromiseWithResolvers<void>>();
  let fail = false;
  const transaction: Transaction<number> = {
    stage: (items) => {
      staged.push(...items);
    },
    commit: async () => {
      commits.push(staged.splice(0));
      await holds.get(commits.length)?.promise;
      if (fail) throw new Error("disk full");
    },
  };
  return {
    transaction,
    staged,
    commits,
    hold: (n: number) => {
      const hold = Promise.withResolvers<void>();
      holds.set(n, hold);
      return hold;
    },
    failing: (value: boolean) => {
      fail = value;
    },
  };
};

test("writes requested together share one commit, later ones get the next", async () => {
  const { transaction, commits } = recorder();
  const write = groupCommit(transaction);
  await Promise.all([write([1, 2]), write([3]), write([])]);
  await write([4]);
  expect(commits).toEqual([[1, 2, 3], [4]]);
});

test("a round is committed once the code that opened it has run, not at the event loop's next turn", async () => {
  const { transaction, commits } = recorder();
  const write = groupCommit(transaction);
  let turned = false;
  setImmediate(() => {
    turned = true;
  });
  const written = write([1]);
  await Promise.resolve();
  expect(commits).toEqual([[1]]);
  expect(turned).toBe(false);
  await written;
});

test("a write is staged at once, before its commit", async () => {
  const { transaction, staged, commits } = recorder();
  const write = groupCommit(transaction);
  const written = write([1]);
  expect(staged).toEqual([1]);
  expect(commits).toEqual([]);
  await written;
  expect(commits).toEqual([[1]]);
});

test("writes requested while a commit is in flight are staged at once and committed together next", async () => {
  const { transaction, staged, commits, hold } = recorder();
  const release = hold(1);
  const write = groupCommit(transaction);
  const first = write([1]);
  await nextTurn();
  expect(commits).toEqual([[1]]);
  const later = [write([2]), write([3])];
  await nextTurn();
  expect(staged).toEqual([2, 3]);
  expect(commits).toEqual([[1]]);
  release.resolve();
  await Promise.all([first, ...later]);
  expect(commits).toEqual([[1], [2, 3]]);
});

test("a failed commit rejects every write that shared it, and only those", async () => {
  const { transaction, failing } = recorder();
  const write = groupCommit(transaction);
  failing(true);
  const results = await Promise.allSettled([write([1]), write([2])]);
  expect(results.map((result) => result.status)).toEqual(["rejected", "rejected"]);
  failing(false);
  await expect(write([3])).resolves.toBeUndefined();
});

test("the writes a commit released share the next round with those queued meanwhile", async () => {
  const { transaction, commits, hold } = recorder();
  const release = hold(1);
  const write = groupCommit(transaction);
  const next = write([1]).then(() => write([3]));
  await nextTurn();
  const queued = write([2]);
  release.resolve();
  await Promise.all([next, queued]);
  expect(commits).toEqual([[1], [2, 3]]);
});

test("a sparse round waits for later writes; a dense one goes at once", async () => {
  const { transaction, commits } = recorder();
  const write = groupCommit(transaction, {
    holdMs: 500,
    sparse: (items) => items.every((item) => item < 10),
  });
  await write([1]);
  const held = write([2]);
  await nextTurn();
  await Promise.all([held, write([3])]);
  const dense = write([20]);
  await nextTurn();
  await Promise.all([dense, write([21])]);
  expect(commits).toEqual([[1], [2, 3], [20], [21]]);
});
