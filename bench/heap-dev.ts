/**
 * What the dev pipeline's heap holds under load: `bun bench/heap-dev.ts [seconds] [symbols] [rate]`
 * (defaults 40, 5,000 and 50,000: the load of bench/memory.bench.ts). The simulator runs in a process of
 * its own; the pipeline (every role, memory transport, SQLite on a fresh file) runs in this one, so that
 * after `seconds` a full collection and a heap snapshot show what is alive, summed by kind of object.
 * Where in the minute the snapshot falls matters (a window's dedup tables grow with it). Before that, it
 * prints where the process's resident memory is.
 */
import { heapStats } from "bun:jsc";
import { startTestPipeline } from "../tests/observability/support/pipeline.ts";
import { benchSymbols, simulatorAsFinnhub, startBenchSimulator } from "./lib/dev-setup.ts";
import { memory } from "./lib/proc.ts";

const seconds = Number(process.argv[2] ?? 40);
const symbols = benchSymbols(Number(process.argv[3] ?? 5_000));
const rate = Number(process.argv[4] ?? 50_000);
const MIB = 2 ** 20;

interface V8Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

const STRING_TYPES = new Set(["string", "concatenated string", "sliced string"]);

/** Bytes and count of the snapshot's nodes per "type: name" (strings per type), largest first. */
const summarise = (snapshot: V8Snapshot) => {
  const fields = snapshot.snapshot.meta.node_fields;
  const [types] = snapshot.snapshot.meta.node_types;
  const [type, name, size] = ["type", "name", "self_size"].map((field) => fields.indexOf(field)) as [
    number,
    number,
    number,
  ];
  const kinds = new Map<string, { bytes: number; count: number }>();
  let total = 0;
  for (let node = 0; node < snapshot.nodes.length; node += fields.length) {
    const typeName = types[snapshot.nodes[node + type]!]!;
    // A string's name is its content: strings are summed as one kind.
    const kind = STRING_TYPES.has(typeName)
      ? typeName
      : `${typeName}: ${snapshot.strings[snapshot.nodes[node + name]!]!.slice(0, 50)}`;
    const bytes = snapshot.nodes[node + size]!;
    const entry = kinds.get(kind) ?? { bytes: 0, count: 0 };
    entry.bytes += bytes;
    entry.count += 1;
    kinds.set(kind, entry);
    total += bytes;
  }
  return { total, kinds: [...kinds].sort(([, a], [, b]) => b.bytes - a.bytes) };
};

/**
 * Where this process's resident memory is, before the collection: the JS heap (size = objects, dead or
 * alive; capacity = the blocks holding them; both include the memory JS objects own outside the blocks,
 * such as typed arrays' contents), and the rest of the anonymous memory (the SQLite thread and its
 * caches, malloc, stacks).
 */
const residentSplit = async () => {
  const { rss, anon, file } = await memory(process.pid);
  const { heapSize, heapCapacity, extraMemorySize } = heapStats();
  const mib = (bytes: number) => (bytes / MIB).toFixed(0);
  return `RSS ${mib(rss)} MiB: file-backed ${mib(file)}, anonymous ${mib(anon)} = JS heap capacity ${mib(heapCapacity)} (size ${mib(heapSize)}; both count the ${mib(extraMemorySize)} owned outside its blocks) + the rest ${mib(anon - heapCapacity)}`;
};

const simulator = await startBenchSimulator(rate, symbols);
try {
  const running = await startTestPipeline({ ...simulatorAsFinnhub(simulator, symbols), API_TOKEN: "" });
  try {
    await Bun.sleep(seconds * 1_000);
    console.log(await residentSplit());
    Bun.gc(true);
    const { total, kinds } = summarise(JSON.parse(Bun.generateHeapSnapshot("v8")) as V8Snapshot);
    console.log(
      `${symbols.length} symbols at ${rate} trades/s, after ${seconds} s and a full collection: ${(total / MIB).toFixed(1)} MiB alive`,
    );
    console.log("| MiB | objects | kind |\n|---:|---:|---|");
    for (const [kind, { bytes, count }] of kinds.slice(0, 15)) {
      console.log(`| ${(bytes / MIB).toFixed(2)} | ${count} | ${kind} |`);
    }
  } finally {
    await running.stop();
  }
} finally {
  await simulator.stop();
}
