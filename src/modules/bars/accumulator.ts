/**
 * The mergeable state of a bar: counts, sums and Welford's running mean and M2, plus the first and last
 * trade by (timestamp, seq). Adding trades one by one and merging partial states (Chan et al.) give the
 * same result, which is what makes 5m/1h/1d bars derive exactly from 1m bars.
 */
export class BarAccumulator {
  n = 0;
  volume = 0;
  sumPv = 0;
  mean = 0;
  m2 = 0;
  high = Number.NEGATIVE_INFINITY;
  low = Number.POSITIVE_INFINITY;
  open = 0;
  openTime = Number.POSITIVE_INFINITY;
  openSeq = 0;
  close = 0;
  closeTime = Number.NEGATIVE_INFINITY;
  closeSeq = 0;

  add(price: number, volume: number, timestamp: number, seq: number): void {
    const n = ++this.n;
    this.volume += volume;
    this.sumPv += price * volume;
    const delta = price - this.mean;
    this.mean += delta / n;
    this.m2 += delta * (price - this.mean);
    if (price > this.high) this.high = price;
    if (price < this.low) this.low = price;
    if (timestamp < this.openTime || (timestamp === this.openTime && seq < this.openSeq)) {
      this.open = price;
      this.openTime = timestamp;
      this.openSeq = seq;
    }
    if (timestamp > this.closeTime || (timestamp === this.closeTime && seq >= this.closeSeq)) {
      this.close = price;
      this.closeTime = timestamp;
      this.closeSeq = seq;
    }
  }

  /** Merges another state whose trades all come after this one's (consecutive windows, in order). */
  append(other: MergeableBar): void {
    if (other.n === 0) return;
    if (this.n === 0) this.open = other.o;
    const n = this.n + other.n;
    const delta = other.mean - this.mean;
    this.mean += (delta * other.n) / n;
    this.m2 += other.m2 + (delta * delta * this.n * other.n) / n;
    this.n = n;
    this.volume += other.v;
    this.sumPv += other.sum_pv;
    if (other.h > this.high) this.high = other.h;
    if (other.l < this.low) this.low = other.l;
    this.close = other.c;
  }

  get vwap(): number | null {
    return this.volume > 0 ? this.sumPv / this.volume : null;
  }

  /** Sample standard deviation (n - 1); null below two trades. */
  get volatility(): number | null {
    return this.n < 2 ? null : Math.sqrt(Math.max(0, this.m2) / (this.n - 1));
  }
}

/** The fields of a stored bar that merging needs. */
export interface MergeableBar {
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
  n: number;
  mean: number;
  m2: number;
  sum_pv: number;
}
