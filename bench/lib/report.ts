/** The markers around one benchmark's section, so each run rewrites its own section only. */
const markers = (name: string) => [`<!-- bench:${name}:start -->`, `<!-- bench:${name}:end -->`] as const;

const preamble = `# Benchmarks

Written by \`bun run bench\` (\`bench/index.ts\` runs every \`bench/*.bench.ts\` in its own process and rewrites
that benchmark's section; \`bun run bench <name>\` runs one). Each section says how and where it was measured.
`;

export interface Section {
  name: string;
  title: string;
  command: string;
  machine: string;
  date: string;
  body: string;
}

const render = (section: Section) => {
  const [start, end] = markers(section.name);
  return [
    start,
    `## ${section.title}`,
    "",
    `- Command: \`${section.command}\` (\`bench/${section.name}.bench.ts\`)`,
    `- Machine: ${section.machine}`,
    `- Date: ${section.date}`,
    "",
    section.body.trim(),
    end,
  ].join("\n");
};

/** `document` with `section` replaced, or appended when it has none yet. */
export const upsertSection = (document: string, section: Section): string => {
  const [start, end] = markers(section.name);
  const text = document.trim().length > 0 ? document : preamble;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from >= 0 && to > from) return text.slice(0, from) + render(section) + text.slice(to + end.length);
  return `${text.trimEnd()}\n\n${render(section)}\n`;
};
