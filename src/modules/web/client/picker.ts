import type { ApiClient } from "./api.ts";
import type { HealthStrip } from "./health.ts";
import { type Resolution, resolutionOf, resolutions } from "./resolutions.ts";
import type { Telemetry } from "./telemetry.ts";
import type { SymbolsList } from "./types.ts";

export interface PickerParts {
  select: HTMLSelectElement;
  /** Where the resolution buttons go. */
  buttons: HTMLElement;
  /** Says what of a link could not be shown. */
  notice: HTMLElement;
  api: ApiClient;
  /** Adds the symbols the live stream has seen to the stored ones. */
  health: HealthStrip;
  telemetry: Telemetry;
  onChange(symbol: string, resolution: Resolution): unknown;
}

/** How often the symbol list is refreshed (new symbols appear as trades of them are stored). */
const REFRESH_MS = 15_000;
const EMPTY_RETRY_MS = 1_000;

/**
 * The symbol select and the resolution buttons. The choice lives in the URL fragment
 * (`#symbol=AAPL&resolution=5m`), so a reload or a shared link shows the same chart.
 */
export class SymbolPicker {
  #resolution: Resolution;
  #symbol: string | undefined;
  /** What the link asked for that does not exist, said once the symbols are known. */
  readonly #unknown: string[] = [];

  constructor(private readonly parts: PickerParts) {
    const { select, buttons } = parts;
    const fragment = new URLSearchParams(location.hash.slice(1));
    this.#symbol = fragment.get("symbol") ?? undefined;
    const asked = fragment.get("resolution");
    this.#resolution = resolutionOf(asked);
    if (asked !== null && asked !== this.#resolution.label) this.#unknown.push(`resolution ${asked}`);
    const userChoice = (symbol: string | undefined, resolution: Resolution) => {
      parts.notice.hidden = true;
      this.#choose(symbol, resolution);
    };
    for (const resolution of resolutions) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = resolution.label;
      button.dataset.resolution = resolution.label;
      button.addEventListener("click", () => userChoice(this.#symbol, resolution));
      buttons.append(button);
    }
    select.addEventListener("change", () => userChoice(select.value, this.#resolution));
  }

  /** Fills the list (waiting for the first symbol on a fresh store), then shows the first choice. */
  async start(): Promise<void> {
    const symbols = await this.#refresh();
    if (symbols.length === 0) {
      setTimeout(() => void this.start(), EMPTY_RETRY_MS);
      return;
    }
    const known = this.#symbol !== undefined && symbols.includes(this.#symbol);
    if (this.#symbol !== undefined && !known) this.#unknown.unshift(`symbol ${this.#symbol}`);
    const wanted = known ? this.#symbol : symbols[0];
    this.#choose(wanted, this.#resolution);
    if (this.#unknown.length > 0) {
      this.parts.notice.textContent = `No ${this.#unknown.join(" and no ")} here: showing ${wanted} at ${this.#resolution.label}.`;
      this.parts.notice.hidden = false;
    }
    setInterval(() => void this.#refresh(), REFRESH_MS);
  }

  /** The symbols now offered (none when the API could not be asked). */
  async #refresh(): Promise<string[]> {
    const { api, health, select, telemetry } = this.parts;
    let stored: SymbolsList;
    try {
      stored = await api.get<SymbolsList>("/v1/symbols", "symbols");
    } catch (error) {
      telemetry.error(error as Error);
      return [];
    }
    const symbols = [...new Set([...stored.results.map((entry) => entry.symbol), ...health.symbols])].sort();
    if (symbols.join() !== [...select.options].map((option) => option.value).join()) {
      select.replaceChildren(...symbols.map((symbol) => new Option(symbol, symbol)));
      if (this.#symbol !== undefined) select.value = this.#symbol;
    }
    return symbols;
  }

  #choose(symbol: string | undefined, resolution: Resolution) {
    if (symbol === undefined) return;
    this.#symbol = symbol;
    this.#resolution = resolution;
    this.parts.select.value = symbol;
    for (const button of this.parts.buttons.querySelectorAll<HTMLButtonElement>("button")) {
      button.setAttribute("aria-pressed", String(button.dataset.resolution === resolution.label));
    }
    history.replaceState(null, "", `#${new URLSearchParams({ symbol, resolution: resolution.label })}`);
    void this.parts.onChange(symbol, resolution);
  }
}
