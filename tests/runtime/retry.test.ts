import { describe, expect, test } from "bun:test";
import { TickflowError } from "../../src/runtime/errors.ts";
import { backoffDelay, retry } from "../../src/runtime/retry.ts";

describe("backoffDelay", () => {
  const policy = { initialMs: 100, maxMs: 1_000 };

  test("grows exponentially and stays within [cap/2, cap]", () => {
    for (const [attempt, cap] of [
      [0, 100],
      [1, 200],
      [2, 400],
      [3, 800],
    ] as const) {
      expect(backoffDelay(policy, attempt, () => 0)).toBe(cap / 2);
      expect(backoffDelay(policy, attempt, () => 0.999_999)).toBeCloseTo(cap, 0);
    }
  });

  test("is capped", () => {
    expect(backoffDelay(policy, 30, () => 1)).toBe(1_000);
  });

  test("is jittered", () => {
    const delays = new Set(Array.from({ length: 20 }, () => backoffDelay(policy, 4)));
    expect(delays.size).toBeGreaterThan(1);
  });
});

describe("retry", () => {
  const fast = { initialMs: 1, maxMs: 2 };

  test("retries retryable errors until success", async () => {
    let calls = 0;
    const retried: number[] = [];
    const result = await retry(
      async () => {
        calls += 1;
        if (calls < 3) throw new TickflowError("STORE_UNAVAILABLE", "down");
        return "ok";
      },
      { policy: fast, onRetry: (_error, attempt) => retried.push(attempt) },
    );
    expect(result).toBe("ok");
    expect(retried).toEqual([0, 1]);
  });

  test("does not retry errors that are not retryable", async () => {
    let calls = 0;
    const failing = retry(
      async () => {
        calls += 1;
        throw new TickflowError("BAD_REQUEST", "no");
      },
      { policy: fast },
    );
    await expect(failing).rejects.toThrow("no");
    expect(calls).toBe(1);
  });

  test("gives up after maxAttempts", async () => {
    let calls = 0;
    const failing = retry(
      async () => {
        calls += 1;
        throw new TickflowError("STORE_TIMEOUT", "slow");
      },
      { policy: fast, maxAttempts: 4 },
    );
    await expect(failing).rejects.toThrow("slow");
    expect(calls).toBe(4);
  });

  test("stops waiting when the signal aborts", async () => {
    const controller = new AbortController();
    const failing = retry(
      async () => {
        throw new TickflowError("STORE_UNAVAILABLE", "down");
      },
      { policy: { initialMs: 60_000, maxMs: 60_000 }, signal: controller.signal },
    );
    controller.abort(new Error("shutting down"));
    await expect(failing).rejects.toThrow("shutting down");
  });
});
