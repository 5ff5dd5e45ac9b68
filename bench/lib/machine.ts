import { availableParallelism, loadavg, totalmem } from "node:os";

const cpuModel = async () => {
  const info = await Bun.file("/proc/cpuinfo")
    .text()
    .catch(() => "");
  return /^model name\s*:\s*(.+)$/m.exec(info)?.[1]?.trim() ?? "unknown CPU";
};

/** One line describing where a benchmark ran; the load average says whether the machine was busy. */
export const describeMachine = async () => {
  const load = loadavg()
    .map((value) => value.toFixed(2))
    .join(" ");
  const memory = Math.round(totalmem() / 2 ** 30);
  return `${availableParallelism()} × ${await cpuModel()}, ${memory} GiB RAM, bun ${Bun.version}, load average ${load}`;
};
