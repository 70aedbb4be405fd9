/**
 * A seeded generator (SplitMix64 state, 53-bit doubles), so a SYNTH workload with the same
 * `rand_seed` is the same workload on every run and every machine.
 */
export class SeededRandom {
  private state: bigint;
  private spare: number | undefined;

  constructor(seed: number | bigint) {
    this.state = BigInt.asUintN(64, BigInt(seed));
  }

  private next64(): bigint {
    this.state = BigInt.asUintN(64, this.state + 0x9e3779b97f4a7c15n);
    let z = this.state;
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    return z ^ (z >> 31n);
  }

  /** Uniform in [0, 1). */
  nextDouble(): number {
    return Number(this.next64() >> 11n) / 2 ** 53;
  }

  /** Uniform integer in [0, bound). */
  nextInt(bound: number): number {
    return Math.floor(this.nextDouble() * bound);
  }

  /** A new generator whose sequence does not overlap this one's (per-job randomness, as SynthJob reseeds). */
  fork(): SeededRandom {
    return new SeededRandom(this.next64());
  }

  /** Standard normal (Box-Muller). */
  gaussian(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.nextDouble();
    const v = this.nextDouble();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /**
   * LogNormal with the given mean and standard deviation of the value itself, as
   * SynthUtils.getLogNormalDist derives them: sigma² = ln(1 + std²/mean²), mu = ln(mean) − sigma²/2;
   * a zero std means mean/6.
   */
  logNormal(mean: number, std: number): number {
    if (mean <= 0) return 0;
    const sd = std === 0 ? mean / 6 : std;
    const sigmaSq = Math.log1p((sd * sd) / (mean * mean));
    const mu = Math.log(mean) - 0.5 * sigmaSq;
    return Math.exp(mu + Math.sqrt(sigmaSq) * this.gaussian());
  }

  normal(mean: number, std: number): number {
    if (mean <= 0) return 0;
    return mean + (std === 0 ? mean / 6 : std) * this.gaussian();
  }

  /** SynthUtils.getWeighted: an index picked with probability proportional to its weight. */
  weighted(weights: readonly number[]): number {
    const total = weights.reduce((s, w) => s + w, 0);
    const r = this.nextDouble() * total;
    let cur = 0;
    for (let i = 0; i < weights.length; i++) {
      cur += weights[i] as number;
      if (cur > r) return i;
    }
    return Math.max(0, weights.length - 1);
  }
}
