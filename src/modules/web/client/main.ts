import type { PageConfig } from "../page.ts";
import { ApiClient } from "./api.ts";
import { MarketChart } from "./chart.ts";
import { MarketController } from "./controller.ts";
import { HealthStrip } from "./health.ts";
import { SymbolPicker } from "./picker.ts";
import { TradeTape } from "./tape.ts";
import { startTelemetry } from "./telemetry.ts";
import { TokenStore } from "./token.ts";

const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const config = JSON.parse(element("tickflow-config").textContent ?? "{}") as PageConfig;
const telemetry = startTelemetry(config);
const api = new ApiClient(new TokenStore(config.authRequired, element("token-dialog")), telemetry);
const health = new HealthStrip(element("health"), api, telemetry);
const controller = new MarketController({
  api,
  chart: new MarketChart(element("chart"), element("legend")),
  tape: new TradeTape(element("tape")),
  health,
  telemetry,
});
const picker = new SymbolPicker({
  select: element("symbol"),
  buttons: element("resolutions"),
  notice: element("notice"),
  api,
  health,
  telemetry,
  onChange: (symbol, resolution) => controller.show(symbol, resolution),
});
health.start();
void picker.start();
