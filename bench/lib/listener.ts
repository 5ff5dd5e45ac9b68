import { readdirSync, readlinkSync } from "node:fs";

/** Socket inodes listening on `port` (IPv4 and IPv6), from /proc/net/tcp*. */
const listeningInodes = async (port: number) => {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    const text = await Bun.file(table)
      .text()
      .catch(() => "");
    for (const line of text.split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address is "<hex address>:<hex port>"; state 0A is LISTEN.
      if (fields[1]?.endsWith(`:${hexPort}`) && fields[3] === "0A") inodes.add(fields[9]!);
    }
  }
  return inodes;
};

/**
 * The pid of the local process listening on `port` (e.g. the Kafka or Cassandra JVM of a benchmark,
 * whose CPU time is then read from /proc), or undefined when it is not on this machine or not ours.
 */
export const pidListeningOn = async (port: number): Promise<number | undefined> => {
  const inodes = await listeningInodes(port);
  if (inodes.size === 0) return undefined;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const target = readlinkSync(`/proc/${entry}/fd/${fd}`);
        if (target.startsWith("socket:[") && inodes.has(target.slice(8, -1))) return Number(entry);
      } catch {}
    }
  }
  return undefined;
};

/** The port of a `host:port` address. */
export const portOf = (address: string) => Number(address.slice(address.lastIndexOf(":") + 1));
