import { between, createRandom, gaussian, type Random } from "./random.ts";

/** A trade in Finnhub's wire shape. */
export interface WireTrade {
  s: string;
  p: number;
  t: number;
  v: number;
  c: string[] | null;
}

type Venue = "stock" | "crypto" | "fx";

interface Instrument {
  venue: Venue;
  price: number;
  decimals: number;
  /** The millisecond of the last trade, and the contents (see `#moveOffRepeats`) quoted in it. */
  ms: number;
  quoted: Set<number>;
}

const venueOf = (symbol: string): Venue => {
  if (/^(BINANCE|COINBASE|KRAKEN|BITFINEX):/i.test(symbol)) return "crypto";
  if (/^(OANDA|FXCM|FOREX|FX_IDC):/i.test(symbol)) return "fx";
  return "stock";
};

const REGULAR = ["1"];
/** Drawn uniformly, so regular trades come three times in five; equal lists are one array. */
const STOCK_CONDITIONS = [REGULAR, REGULAR, REGULAR, ["1", "12"], ["1", "24"]];

/**
 * Random-walk prices per symbol, seeded: each symbol's walk depends only on the seed and the symbol, so two
 * runs with one seed quote the same levels. Volumes follow the venue: round lots for stocks, fractions for
 * crypto, and 0 for FX quotes (a price update without volume, as FX venues send them).
 */
export class Market {
  readonly #seed: number;
  readonly #instruments = new Map<string, Instrument>();
  readonly #random: Random;

  constructor(seed: number) {
    this.#seed = seed;
    this.#random = createRandom(seed);
  }

  trade(symbol: string, now: number): WireTrade {
    const instrument = this.#instrument(symbol);
    const random = this.#random;
    const step = Math.exp(0.0004 * gaussian(random));
    const scale = 10 ** instrument.decimals;
    instrument.price = Math.max(1 / scale, Math.round(instrument.price * step * scale) / scale);
    const v = this.#volume(instrument.venue);
    const c = this.#conditions(instrument.venue);
    this.#moveOffRepeats(instrument, now, v, c);
    return { s: symbol, p: instrument.price, t: now, v, c };
  }

  /**
   * Moves the price up a tick until the trade differs from every other one of its millisecond. Exact
   * repeats are made on purpose, inside one frame; an accidental one could form a one-trade frame equal to
   * an earlier one, which ingest rightly suppresses as a re-sent frame (DESIGN section 3), and then what
   * the simulator sent would no longer be what a correct pipeline stores. Trades are told apart by a
   * number computed from their content: equal trades always get equal numbers, and the rare different
   * trades that share one only cost a tick.
   */
  #moveOffRepeats(instrument: Instrument, now: number, v: number, c: string[] | null) {
    if (instrument.ms !== now) {
      instrument.ms = now;
      instrument.quoted.clear();
    }
    const tick = 10 ** -instrument.decimals;
    const rest = v * 7 + (c === null ? -1 : STOCK_CONDITIONS.indexOf(c));
    while (instrument.quoted.has(instrument.price * 1e7 + rest)) {
      instrument.price = Number((instrument.price + tick).toFixed(instrument.decimals));
    }
    instrument.quoted.add(instrument.price * 1e7 + rest);
  }

  #volume(venue: Venue) {
    if (venue === "fx") return 0;
    if (venue === "crypto") return Math.round(this.#random() * 2 * 1e6) / 1e6;
    return this.#random() < 0.3 ? between(this.#random, 1, 10) * 100 : between(this.#random, 1, 999);
  }

  #conditions(venue: Venue) {
    return venue === "stock"
      ? STOCK_CONDITIONS[between(this.#random, 0, STOCK_CONDITIONS.length - 1)]!
      : null;
  }

  #instrument(symbol: string) {
    let instrument = this.#instruments.get(symbol);
    if (!instrument) {
      const random = createRandom(this.#seed ^ Number(Bun.hash.wyhash(symbol) & 0xffffffffn));
      const venue = venueOf(symbol);
      const [low, high, decimals] =
        venue === "fx" ? [0.5, 2, 5] : venue === "crypto" ? [50, 60_000, 2] : [10, 500, 2];
      instrument = {
        venue,
        price: low + random() * (high - low),
        decimals,
        ms: Number.NaN,
        quoted: new Set(),
      };
      this.#instruments.set(symbol, instrument);
    }
    return instrument;
  }
}
