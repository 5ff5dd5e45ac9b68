/** Decimals that show a price's moves: FX quotes need five, stocks and crypto two. */
export const priceDecimals = (price: number) => (Math.abs(price) < 10 ? 5 : 2);

export const formatPrice = (price: number | null) =>
  price === null ? "–" : price.toFixed(priceDecimals(price));

const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 2 });

export const formatVolume = (volume: number) => compact.format(volume);

/** The start of a bar as the legend names it: its UTC day for daily bars, else its UTC minute. */
export const formatBarTime = (t: number, dayBars: boolean) => {
  const iso = new Date(t).toISOString();
  return dayBars ? iso.slice(0, 10) : `${iso.slice(0, 10)}\u00a0${iso.slice(11, 16)}\u00a0UTC`;
};

/** UTC wall time of an epoch ms, with milliseconds when asked. */
export const formatTime = (ms: number, withMs = false) =>
  new Date(ms).toISOString().slice(11, withMs ? 23 : 19);

/** A duration for humans: 120 ms, 4.2 s, 3 min, 2 h. */
export const formatAge = (ms: number) => {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 3_600_000)} h`;
};
