/**
 * Mean and spread of a symbol's last `size` prices (Welford's state, slid one price at a time and
 * recomputed from the ring every `size` trades so rounding cannot drift). A price is judged only once the
 * window is full: with fewer trades a standard deviation says little.
 */
export class RollingStats {
  readonly #prices: Float64Array;
  #count = 0;
  #next = 0;
  #mean = 0;
  #m2 = 0;
  #slides = 0;

  constructor(size: number) {
    this.#prices = new Float64Array(size);
  }

  /**
   * True when `price` lies more than `sigma` standard deviations from the window's mean (never while the
   * window's prices are all equal: there is no spread to measure against). Then adds the price.
   */
  observe(price: number, sigma: number): boolean {
    const size = this.#prices.length;
    if (this.#count < size) {
      this.#prices[this.#next] = price;
      this.#next = (this.#next + 1) % size;
      const n = ++this.#count;
      const delta = price - this.#mean;
      this.#mean += delta / n;
      this.#m2 += delta * (price - this.#mean);
      return false;
    }
    const deviation = price - this.#mean;
    const outlier = this.#m2 > 0 && deviation * deviation * (size - 1) > sigma * sigma * this.#m2;
    this.#slide(price, size);
    return outlier;
  }

  #slide(price: number, size: number) {
    const old = this.#prices[this.#next]!;
    this.#prices[this.#next] = price;
    this.#next = (this.#next + 1) % size;
    if (++this.#slides >= size) return this.#recompute(size);
    const mean = this.#mean + (price - old) / size;
    this.#m2 = Math.max(0, this.#m2 + (price - old) * (price - mean + old - this.#mean));
    this.#mean = mean;
  }

  #recompute(size: number) {
    this.#slides = 0;
    let mean = 0;
    let m2 = 0;
    for (let i = 0; i < size; i++) {
      const price = this.#prices[(this.#next + i) % size]!;
      const delta = price - mean;
      mean += delta / (i + 1);
      m2 += delta * (price - mean);
    }
    this.#mean = mean;
    this.#m2 = m2;
  }
}
