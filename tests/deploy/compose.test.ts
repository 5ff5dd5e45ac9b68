import { describe, expect, test } from "bun:test";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { commands, isCommand } from "../../src/cli/index.ts";
import { type Config, configOptions, loadConfig, type Role, roles } from "../../src/runtime/config/index.ts";
import {
  bindMounts,
  type ComposeFile,
  type ComposeService,
  containerEnv,
  interpolatedNames,
  parseDockerfile,
  readCompose,
  readText,
  root,
} from "./support.ts";

const base = await readCompose("docker-compose.yml");
const kafka3 = await readCompose("docker-compose.yml", "docker-compose.kafka3.yml");
const dockerfile = parseDockerfile(await readText("Dockerfile"));
const imageEnv = Object.fromEntries(
  dockerfile
    .filter((instruction) => instruction.keyword === "ENV")
    .flatMap((env) => env.args.split(/\s+/))
    .map((pair) => pair.split("=") as [string, string]),
);
const imageCommand = dockerfile.findLast((instruction) => instruction.keyword === "CMD")!.exec!;
const schemaVariables = new Set(configOptions.map((option) => option.meta.env));

/** Services running the tickflow image (built from this repository's Dockerfile). */
const tickflowServices = (file: ComposeFile) =>
  Object.entries(file.services).filter(([, service]) => service.build !== undefined);

/** The command line and config a tickflow container starts with when nothing is set on the host. */
const started = (service: ComposeService) => {
  const [command, ...argv] = service.command ?? imageCommand;
  return { command: command!, config: loadConfig(argv, { ...imageEnv, ...containerEnv(service) }).config };
};

const roleServices = (file: ComposeFile) =>
  tickflowServices(file)
    .map(([name, service]) => ({ name, service, ...started(service) }))
    .filter((entry) => entry.command === "run");

const hostPort = (address: string) => {
  const [host, port] = address.split(":");
  return { host: host!, port: Number(port) };
};

describe.each([
  ["docker-compose.yml", base],
  ["with docker-compose.kafka3.yml", kafka3],
])("%s", (_, file) => {
  test("tickflow services set only config variables, with values the schema accepts", () => {
    for (const [name, service] of tickflowServices(file)) {
      const unknown = Object.keys(service.environment ?? {}).filter(
        (variable) => !schemaVariables.has(variable),
      );
      expect({ name, unknown }).toEqual({ name, unknown: [] });
      expect(isCommand(started(service).command)).toBe(true);
    }
  });

  test("one service per role, on Kafka and Cassandra, each role exactly once", () => {
    const running = roleServices(file);
    expect(running.flatMap(({ config }) => config.runtime.roles).sort()).toEqual([...roles].sort());
    for (const { name, config } of running) {
      expect(config.runtime.roles).toEqual([name as Role]);
      expect(config.runtime).toMatchObject({ transport: "kafka", store: "cassandra" });
      expect(config.cassandra.migrateOnStart).toBe(false);
    }
  });

  test("Kafka and Cassandra addresses are services of the file that advertise them", () => {
    for (const { config } of roleServices(file)) {
      for (const broker of config.kafka.brokers) {
        const { host } = hostPort(broker);
        expect(file.services[host]?.environment?.KAFKA_ADVERTISED_LISTENERS).toBe(`PLAINTEXT://${broker}`);
      }
      expect(config.kafka.replicationFactor).toBeLessThanOrEqual(config.kafka.brokers.length);
      for (const point of config.cassandra.contactPoints) {
        expect(file.services[hostPort(point).host]?.image).toStartWith("cassandra:5.0");
      }
    }
  });

  test("depends_on names services, with conditions those services can meet", () => {
    for (const [name, service] of Object.entries(file.services)) {
      for (const [target, { condition }] of Object.entries(service.depends_on ?? {})) {
        const dependency = file.services[target];
        expect({ name, target, exists: dependency !== undefined }).toEqual({ name, target, exists: true });
        if (condition === "service_healthy") {
          const checked = dependency!.build !== undefined || dependency!.healthcheck?.test !== undefined;
          expect({ name, target, checked }).toEqual({ name, target, checked: true });
        } else {
          expect({ name, target, condition, restart: dependency!.restart }).toEqual({
            name,
            target,
            condition: "service_completed_successfully",
            restart: "no",
          });
        }
      }
    }
  });
});

describe("docker-compose.yml", () => {
  const service = (name: string) => base.services[name]!;

  test("migrate applies the Cassandra schema once, before the roles that use the store start", () => {
    const { command, config } = started(service("migrate"));
    expect(commands[command as keyof typeof commands]).toBe(commands.migrate);
    expect(config.runtime.store).toBe("cassandra");
    for (const { name: role, service: roleService, config: roleConfig } of roleServices(base)) {
      const usesStore = roleConfig.runtime.roles.some((r) => r === "writer" || r === "api");
      expect({ role, waits: roleService.depends_on?.migrate?.condition }).toEqual({
        role,
        waits: usesStore ? "service_completed_successfully" : undefined,
      });
    }
  });

  test("scaled roles have no container name and no fixed host port; only the api publishes its PORT", () => {
    for (const { name, service: roleService, config } of roleServices(base)) {
      expect(roleService.container_name).toBeUndefined();
      const ports = (roleService.ports ?? []).map((port) => String(port));
      if (name === "api")
        expect(ports.map((port) => port.split(":").at(-1))).toEqual([String(config.api.port)]);
      else expect(ports).toEqual([]);
    }
  });

  test("Prometheus scrapes each role where it listens, and alerts through the Alertmanager service", async () => {
    const prometheus = parse(await readText("observability/prometheus/prometheus.yml")) as {
      scrape_configs: {
        job_name: string;
        static_configs?: { targets: string[] }[];
        dns_sd_configs?: { names: string[]; port: number }[];
      }[];
      alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
    };
    const byRole = new Map<string, Config>(roleServices(base).map(({ name, config }) => [name, config]));
    const jobs = prometheus.scrape_configs.filter((job) => byRole.has(job.job_name));
    expect(jobs.map((job) => job.job_name).sort()).toEqual([...roles].sort());
    for (const job of jobs) {
      const targets = [
        ...(job.static_configs ?? []).flatMap((config) => config.targets.map(hostPort)),
        ...(job.dns_sd_configs ?? []).flatMap((config) =>
          config.names.map((host) => ({ host, port: config.port })),
        ),
      ];
      expect(targets).toEqual([{ host: job.job_name, port: byRole.get(job.job_name)!.api.port }]);
    }
    for (const { host, port } of prometheus.alerting.alertmanagers.flatMap((a) =>
      a.static_configs[0]!.targets.map(hostPort),
    )) {
      expect(service(host).ports?.map(String)).toContainEqual(expect.stringMatching(new RegExp(`:${port}$`)));
    }
  });

  test("every bind-mounted file or folder exists in the repository", () => {
    const mounts = Object.values(base.services).flatMap(bindMounts);
    expect(mounts.length).toBeGreaterThan(5);
    for (const { source, target } of mounts) {
      const path = join(root, source);
      expect({ source, exists: existsSync(path) }).toEqual({ source, exists: true });
      expect({ source, file: statSync(path).isFile() }).toEqual({ source, file: /\.\w+$/.test(target) });
    }
  });

  test("Prometheus and Alertmanager find their rule, template and secret files where their configs say", async () => {
    const mounted = (name: string) => bindMounts(service(name)).map((mount) => mount.target);
    expect(mounted("prometheus")).toEqual(
      expect.arrayContaining(["/etc/prometheus/prometheus.yml", "/etc/prometheus/rules"]),
    );
    const alertmanager = await readText("observability/alertmanager/alertmanager.yml");
    const files = [...alertmanager.matchAll(/_file:\s*(\S+)/g)].map((match) => match[1]!);
    expect(files.length).toBeGreaterThan(0);
    for (const path of [
      ...files,
      "/etc/alertmanager/alertmanager.yml",
      "/etc/alertmanager/templates/x.tmpl",
    ]) {
      expect({ path, mounted: mounted("alertmanager").some((target) => path.startsWith(target)) }).toEqual({
        path,
        mounted: true,
      });
    }
  });

  test("Grafana is provisioned from observability/grafana with the plugins and hosts its data sources need", async () => {
    const grafana = service("grafana");
    const mounts = Object.fromEntries(bindMounts(grafana).map(({ source, target }) => [source, target]));
    const provider = parse(await readText("observability/grafana/provisioning/dashboards/tickflow.yml")) as {
      providers: { options: { path: string } }[];
    };
    expect(mounts).toEqual({
      "./observability/grafana/provisioning/datasources": "/etc/grafana/provisioning/datasources",
      "./observability/grafana/provisioning/dashboards": "/etc/grafana/provisioning/dashboards",
      "./observability/grafana/dashboards": provider.providers[0]!.options.path,
    });
    const { datasources } = parse(
      await readText("observability/grafana/provisioning/datasources/tickflow.yml"),
    ) as {
      datasources: { type: string; url: string }[];
    };
    const plugins = String(grafana.environment?.GF_INSTALL_PLUGINS).split(",");
    const apiPort = started(service("api")).config.api.port;
    const listening: Record<string, number> = { prometheus: 9090, api: apiPort };
    for (const { type, url } of datasources) {
      if (type !== "prometheus") expect(plugins).toContain(type);
      const { hostname, port } = new URL(url);
      expect({ url, port: Number(port) }).toEqual({ url, port: listening[hostname]! });
    }
  });

  test("every variable the compose files interpolate is documented in .env.example, with its default", async () => {
    const example = await readText(".env.example");
    const texts = await Promise.all(["docker-compose.yml", "docker-compose.kafka3.yml"].map(readText));
    const names = texts.flatMap((text) => [...interpolatedNames(text)]);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(example).toContain(`# ${name}=`);
  });
});

describe("docker-compose.kafka3.yml", () => {
  const brokers = Object.entries(kafka3.services).filter(([, service]) =>
    service.image?.startsWith("apache/kafka"),
  );
  const env = (service: ComposeService) => containerEnv(service);

  test("runs three KRaft nodes that all vote, with replication 3 and min ISR 2", () => {
    expect(brokers).toHaveLength(3);
    const voters = brokers.map(([host, service]) => `${env(service).KAFKA_NODE_ID}@${host}:9093`).sort();
    for (const [, service] of brokers) {
      const settings = env(service);
      expect(settings.KAFKA_CONTROLLER_QUORUM_VOTERS!.split(",").sort()).toEqual(voters);
      expect(settings).toMatchObject({
        KAFKA_DEFAULT_REPLICATION_FACTOR: "3",
        KAFKA_MIN_INSYNC_REPLICAS: "2",
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: "3",
        KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: "2",
        CLUSTER_ID: env(brokers[0]![1]).CLUSTER_ID,
      });
    }
    expect(new Set(brokers.map(([, service]) => env(service).KAFKA_NODE_ID)).size).toBe(3);
  });

  test("every role reaches all three brokers and creates topics with three replicas", () => {
    for (const { name, service, config } of roleServices(kafka3)) {
      expect({ name, brokers: config.kafka.brokers.map((b) => hostPort(b).host).sort() }).toEqual({
        name,
        brokers: brokers.map(([host]) => host).sort(),
      });
      expect(config.kafka.replicationFactor).toBe(3);
      for (const [host] of brokers) expect(service.depends_on?.[host]?.condition).toBe("service_healthy");
    }
  });
});
