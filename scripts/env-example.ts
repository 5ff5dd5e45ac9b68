import { getOrCreate } from "../src/runtime/collections.ts";
import { type ConfigOption, configOptions, fallbackText, meaningText } from "../src/runtime/config/index.ts";

const header = `# Every setting of tickflow, with its default: generated from src/runtime/config/schema.ts by
# \`bun run env-example\` (tests/deploy/env-example.test.ts fails when it is out of date).
# Each variable has a command-line flag of the same meaning (\`bun src/main.ts --help\`).
# Every line is commented out, so a copy changes nothing until you uncomment a line: Bun reads .env
# in the working folder (bun run dev), docker compose reads it for the \${...} of docker-compose.yml.
# Secrets (marked) have no default here: set them in the environment or a file you keep out of Git.
`;

const entry = (option: ConfigOption) =>
  `# ${meaningText(option)} [--${option.flag}]\n# ${option.meta.env}=${fallbackText(option)}`;

/** Variables docker-compose.yml reads for itself (not passed to tickflow). */
const composeVariables = [
  {
    name: "API_PORT",
    fallback: "8080",
    description: "Host port of the api service (HTTP API, live page, docs)",
  },
  { name: "GRAFANA_PORT", fallback: "3000", description: "Host port of Grafana" },
  { name: "GRAFANA_ADMIN_PASSWORD", fallback: "admin", description: "Password of Grafana's admin user" },
  { name: "PROMETHEUS_PORT", fallback: "9090", description: "Host port of Prometheus" },
  { name: "ALERTMANAGER_PORT", fallback: "9093", description: "Host port of Alertmanager" },
];

const composeBlock = () =>
  `## docker compose (docker-compose.yml only)\n\n${composeVariables
    .map(({ name, fallback, description }) => `# ${description}\n# ${name}=${fallback}`)
    .join("\n\n")}`;

/** The text of .env.example: every option of the config schema, grouped by section, then compose's own. */
export const envExample = (): string => {
  const sections = new Map<string, ConfigOption[]>();
  for (const option of configOptions) {
    getOrCreate(sections, option.path[0]!, () => []).push(option);
  }
  const blocks = [...sections].map(
    ([section, options]) => `## ${section}\n\n${options.map(entry).join("\n\n")}`,
  );
  return `${header}\n${[...blocks, composeBlock()].join("\n\n")}\n`;
};

if (import.meta.main) process.stdout.write(envExample());
