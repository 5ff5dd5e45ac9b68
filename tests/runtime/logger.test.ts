import { expect, test } from "bun:test";
import { createLogger } from "../../src/runtime/logger.ts";

test("a secret never leaves in a log line, whatever field carries it", () => {
  const lines: string[] = [];
  const logger = createLogger({
    level: "info",
    format: "json",
    secrets: ["k3y-value"],
    destination: { write: (line: string) => lines.push(line) },
  });
  logger.info({ url: "wss://ws.finnhub.io?token=k3y-value" }, "connecting");
  logger.error(new Error("handshake with k3y-value failed"), "failed");
  expect(lines).toHaveLength(2);
  for (const line of lines) {
    expect(line).not.toContain("k3y-value");
    expect(line).toContain("[redacted]");
    expect(() => JSON.parse(line)).not.toThrow();
  }
});
