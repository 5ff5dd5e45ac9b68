import { expect, test } from "bun:test";
import {
  KafkaJSConnectionError,
  KafkaJSGroupCoordinatorNotFound,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
} from "kafkajs";
import { TickflowError } from "../../../../src/runtime/errors.ts";
import { isMembershipLost, isTransient } from "../../../../src/runtime/transport/kafka/errors.ts";

/** What kafkajs's retrier throws when it gives up on a non-retriable error. */
const gaveUp = (cause: Error) => Object.assign(new KafkaJSNonRetriableError(cause), { cause });

const protocolError = (type: string, retriable: boolean) =>
  new KafkaJSProtocolError(Object.assign(new Error(type), { type, code: 1, retriable }));

test("outages are transient, even once kafkajs gave up on its own retries", () => {
  const refused = new KafkaJSConnectionError("Connection error: ECONNREFUSED");
  expect(isTransient(refused)).toBe(true);
  expect(isTransient(new KafkaJSNumberOfRetriesExceeded(refused, { retryCount: 3, retryTime: 100 }))).toBe(
    true,
  );
  expect(isTransient(protocolError("NOT_LEADER_FOR_PARTITION", true))).toBe(true);
  // What a consumer crashes with while the broker shuts down; kafkajs does not restart it. (Its typings
  // omit the constructor's message argument.)
  const noCoordinator = Reflect.construct(KafkaJSGroupCoordinatorNotFound, [
    "Failed to find group coordinator",
  ]);
  expect(isTransient(gaveUp(noCoordinator))).toBe(true);
});

test("rejections and bugs are not", () => {
  const tooLarge = protocolError("MESSAGE_TOO_LARGE", false);
  expect(isTransient(tooLarge)).toBe(false);
  expect(isTransient(gaveUp(tooLarge))).toBe(false);
  expect(isTransient(new TypeError("x is undefined"))).toBe(false);
  expect(isTransient(new TickflowError("CONFIG_INVALID", "too few partitions"))).toBe(false);
});

test("membership loss is recognised through kafkajs's wrappers", () => {
  const rebalancing = protocolError("REBALANCE_IN_PROGRESS", false);
  expect(isMembershipLost(gaveUp(rebalancing))).toBe(true);
  expect(isMembershipLost(new KafkaJSConnectionError("closed"))).toBe(false);
});
