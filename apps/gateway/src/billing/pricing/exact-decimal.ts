/**
 * Exact non-negative decimals as a scaled bigint (`units / 10^scale`), for money: a JavaScript
 * number cannot hold 0.00001 exactly, and sums of such floats drift. Only what billing needs:
 * parse, add, multiply by a whole count, round half-up, print.
 */
export class ExactDecimal {
  private constructor(
    readonly units: bigint,
    readonly scale: number,
  ) {}

  static readonly ZERO = new ExactDecimal(0n, 0);

  /** "0.005" → 5 / 10^3. Rejects anything but plain digits with an optional fraction. */
  static parse(text: string): ExactDecimal {
    const match = /^([0-9]+)(?:\.([0-9]+))?$/.exec(text);
    if (!match) throw new Error(`"${text}" is not a non-negative decimal`);
    const fraction = match[2] ?? '';
    return new ExactDecimal(BigInt(`${match[1]}${fraction}`), fraction.length);
  }

  /** A whole count (e.g. a `sum(...)::text` from Postgres, which may exceed 2^53). */
  static count(value: bigint | string | number): ExactDecimal {
    const units = typeof value === 'bigint' ? value : BigInt(value);
    if (units < 0n) throw new Error('a count cannot be negative');
    return new ExactDecimal(units, 0);
  }

  plus(other: ExactDecimal): ExactDecimal {
    const scale = Math.max(this.scale, other.scale);
    return new ExactDecimal(this.at(scale) + other.at(scale), scale);
  }

  times(other: ExactDecimal): ExactDecimal {
    return new ExactDecimal(this.units * other.units, this.scale + other.scale);
  }

  /** Rounds half-up (away from zero; amounts are never negative) to `digits` decimals. */
  roundHalfUp(digits: number): ExactDecimal {
    if (this.scale <= digits) return new ExactDecimal(this.at(digits), digits);
    const divisor = 10n ** BigInt(this.scale - digits);
    const quotient = this.units / divisor;
    const remainder = this.units % divisor;
    return new ExactDecimal(remainder * 2n >= divisor ? quotient + 1n : quotient, digits);
  }

  /** Exactly `scale` decimals: "0.03", "12.50". */
  toFixed(): string {
    const digits = this.units.toString().padStart(this.scale + 1, '0');
    if (this.scale === 0) return digits;
    return `${digits.slice(0, -this.scale)}.${digits.slice(-this.scale)}`;
  }

  /** Shortest exact form: "0.02734", "0.015", "3". */
  toString(): string {
    const fixed = this.toFixed();
    return this.scale === 0 ? fixed : fixed.replace(/0+$/, '').replace(/\.$/, '');
  }

  private at(scale: number): bigint {
    return this.units * 10n ** BigInt(scale - this.scale);
  }
}
