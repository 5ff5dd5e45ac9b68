import { expect, test } from "bun:test";
import { Assignment } from "../../../../src/runtime/transport/kafka/assignment.ts";

const recorder = () => {
  const calls: string[] = [];
  const assignment = new Assignment(
    {
      onAssign: async (partitions) => {
        await Bun.sleep(1);
        calls.push(`assign ${partitions.join(",")}`);
      },
      onRevoke: (partitions) => void calls.push(`revoke ${partitions.join(",")}`),
    },
    (error) => calls.push(`error ${(error as Error).message}`),
  );
  return { calls, assignment };
};

test("every rebalance revokes everything held, then assigns the new set, callbacks in order", async () => {
  const { calls, assignment } = recorder();
  assignment.assign([1, 0]);
  expect(assignment.partitions).toEqual([0, 1]);
  assignment.revokeAll();
  expect(assignment.owns(0)).toBe(false);
  assignment.assign([1]);
  assignment.assign([1]);
  await assignment.settled();
  expect(calls).toEqual(["assign 0,1", "revoke 0,1", "assign 1", "revoke 1", "assign 1"]);
});

test("a failing callback is reported and later changes still run", async () => {
  const calls: string[] = [];
  const assignment = new Assignment(
    {
      onAssign: (partitions) => {
        if (partitions.includes(0)) throw new Error("cannot load state");
        calls.push(`assign ${partitions.join(",")}`);
      },
    },
    (error) => calls.push(`error ${(error as Error).message}`),
  );
  assignment.assign([0]);
  assignment.assign([2]);
  await assignment.settled();
  expect(calls).toEqual(["error cannot load state", "assign 2"]);
});

test("a revoked partition accepts commits until its onRevoke finished", async () => {
  const release = Promise.withResolvers<void>();
  const assignment = new Assignment({ onRevoke: () => release.promise }, () => {});
  assignment.assign([0, 1]);
  assignment.revokeAll();
  expect(assignment.owns(0)).toBe(false);
  expect(assignment.canCommit(0)).toBe(true);
  release.resolve();
  await assignment.settled();
  expect(assignment.canCommit(0)).toBe(false);
});
