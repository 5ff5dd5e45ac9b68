import { expect, test } from "bun:test";
import { errors, types } from "cassandra-driver";
import { toStoreError } from "../../../../src/runtime/store/cassandra/errors.ts";

const codes = types.responseErrorCodes;

test("a cluster that is away or slow gives retryable errors", () => {
  const cases = [
    [new errors.NoHostAvailableError({}), "STORE_UNAVAILABLE"],
    [new errors.OperationTimedOutError("no answer"), "STORE_TIMEOUT"],
    [new errors.ResponseError(codes.unavailableException, "not enough replicas"), "STORE_UNAVAILABLE"],
    [new errors.ResponseError(codes.overloaded, "overloaded"), "STORE_UNAVAILABLE"],
    [new errors.ResponseError(codes.writeTimeout, "write timeout"), "STORE_TIMEOUT"],
    [new errors.ResponseError(codes.readTimeout, "read timeout"), "STORE_TIMEOUT"],
  ] as const;
  for (const [error, code] of cases) {
    expect(toStoreError(error, "trades write")).toMatchObject({ code, retryable: true, cause: error });
  }
});

test("a statement the cluster refuses is not retried", () => {
  for (const error of [
    new errors.ResponseError(codes.invalid, "unconfigured table trades_v2"),
    new errors.ResponseError(codes.syntaxError, "line 1:0 no viable alternative"),
    new errors.AuthenticationError("bad credentials"),
    new TypeError("not a number"),
  ]) {
    const mapped = toStoreError(error, "trades write");
    expect(mapped).toMatchObject({ code: "STORE_REJECTED", retryable: false });
    expect(mapped.message).toStartWith("Cassandra trades write failed: ");
  }
});

test("no host answering names each host and what it said, not the driver's dump of their errors", () => {
  const refused = Object.assign(new Error("connect ECONNREFUSED 10.0.0.1:9042"), { code: "ECONNREFUSED" });
  const error = new errors.NoHostAvailableError({
    "10.0.0.1:9042": refused,
    "10.0.0.2:9042": new errors.OperationTimedOutError("no answer within 5000 ms"),
  });
  expect(error.message).toContain("ECONNREFUSED");
  expect(toStoreError(error, "connect to 10.0.0.1:9042,10.0.0.2:9042").message).toBe(
    "Cassandra connect to 10.0.0.1:9042,10.0.0.2:9042 failed: no host answered " +
      "(10.0.0.1:9042: connect ECONNREFUSED 10.0.0.1:9042; 10.0.0.2:9042: no answer within 5000 ms)",
  );
});
