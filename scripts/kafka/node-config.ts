import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { join } from "node:path";

/** A port nothing listens on right now (another process may still take it before the broker does). */
export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject()));
    });
  });

/** One node acting as broker and controller on loopback, tuned to start fast on a small machine. */
export const serverProperties = (dir: string, port: number, controllerPort: number) =>
  `${[
    "process.roles=broker,controller",
    "node.id=1",
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
    "controller.listener.names=CONTROLLER",
    "inter.broker.listener.name=PLAINTEXT",
    `log.dirs=${join(dir, "data")}`,
    // Topics come from the transport's provisioning; a missing one is a bug, not something to paper over.
    "auto.create.topics.enable=false",
    "offsets.topic.replication.factor=1",
    "offsets.topic.num.partitions=1",
    "transaction.state.log.replication.factor=1",
    "transaction.state.log.min.isr=1",
    "group.initial.rebalance.delay.ms=0",
    // Lets tests use short consumer sessions so a killed consumer's partitions move on quickly.
    "group.min.session.timeout.ms=1000",
    "num.network.threads=2",
    "num.io.threads=4",
  ].join("\n")}\n`;

export const log4jProperties = (dir: string) =>
  `${[
    "log4j.rootLogger=WARN, file",
    "log4j.appender.file=org.apache.log4j.FileAppender",
    `log4j.appender.file.File=${join(dir, "server.log")}`,
    "log4j.appender.file.layout=org.apache.log4j.PatternLayout",
    "log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n",
  ].join("\n")}\n`;

/**
 * Kafka's textual cluster id: 16 random bytes in unpadded base64url, never starting with "-" (the
 * storage tool would read it as an option, as Kafka's own Uuid.randomUuid avoids).
 */
export const clusterId = (): string => {
  const id = randomBytes(16).toString("base64url");
  return id.startsWith("-") ? clusterId() : id;
};
