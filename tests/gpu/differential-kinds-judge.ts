/**
 * The bookkeeping of the differential test of the new kinds: our verdict (accepted, or the error thrown),
 * Dawn's verdict (the message of the first error in 'validation' and 'out-of-memory' scopes), and tallies per
 * kind. A rejection of ours that is a rule refused by choice (stricter than WebGPU on purpose) is counted
 * apart with Dawn's verdict, never as an agreement.
 */
import { describeValue, ValidationError } from '../../src/errors.ts';
import type { Case } from './differential-cases.ts';

/** Tallies of one kind. */
export interface Tally {
  cases: number;
  bothAccepted: number;
  bothRejected: number;
  typedOnly: number;
  /** Refused by a rule of ours that is stricter than WebGPU on purpose; Dawn's verdicts counted. */
  byChoice: { dawnAccepted: number; dawnRejected: number };
  disagreements: string[];
}

/** Our verdict on a case. */
export type Outcome<T> = { accepted: true; value: T } | { accepted: false; error: unknown };

/** Runs our validation and records whether it accepted. */
export function attempt<T>(run: () => T): Outcome<T> {
  try {
    return { accepted: true, value: run() };
  } catch (error) {
    return { accepted: false, error };
  }
}

/** What an outcome says, for a disagreement line. */
export function why(o: Outcome<unknown>): string {
  return o.accepted ? 'accepted' : o.error instanceof Error ? o.error.message : describeValue(o.error);
}

/** Runs `body` in validation + out-of-memory scopes; resolves with Dawn's message, or undefined. */
export function dawnVerdict(device: GPUDevice, body: () => void): Promise<string | undefined> {
  device.pushErrorScope('validation');
  device.pushErrorScope('out-of-memory');
  let thrown: string | undefined;
  try {
    body();
  } catch (error) {
    thrown = `threw ${error instanceof Error ? error.message : describeValue(error)}`;
  }
  const oom = device.popErrorScope();
  const validation = device.popErrorScope();
  return Promise.all([oom, validation]).then(([o, v]) => thrown ?? (v ?? o)?.message);
}

/** The tallies of every kind, in the order they were first used. */
export class Judge {
  readonly tallies = new Map<string, Tally>();

  tally(kind: string): Tally {
    let t = this.tallies.get(kind);
    if (!t) {
      t = {
        cases: 0,
        bothAccepted: 0,
        bothRejected: 0,
        typedOnly: 0,
        byChoice: { dawnAccepted: 0, dawnRejected: 0 },
        disagreements: [],
      };
      this.tallies.set(kind, t);
    }
    return t;
  }

  /** A wrong-typed case: we must throw a ValidationError; Dawn never sees it. */
  typedOnly(kind: string, c: Case, mine: Outcome<unknown>): void {
    const t = this.tally(kind);
    t.typedOnly++;
    if (mine.accepted || !(mine.error instanceof ValidationError)) {
      t.disagreements.push(
        `${c.typeError}: expected a ValidationError, got ${why(mine)}; ${describeValue(c.ours)}`,
      );
    }
  }

  /**
   * Compares our verdict with Dawn's. `chosen` says whether our rejection is a rule refused by choice; an
   * untyped error of ours is a disagreement.
   */
  compare(kind: string, c: Case, mine: Outcome<unknown>, gpuError: string | undefined, chosen = false): void {
    const t = this.tally(kind);
    if (!mine.accepted && !(mine.error instanceof ValidationError)) {
      t.disagreements.push(`untyped error ${why(mine)}; ${describeValue(c.ours)}`);
    } else if (!mine.accepted && chosen) {
      if (gpuError === undefined) t.byChoice.dawnAccepted++;
      else t.byChoice.dawnRejected++;
    } else if (mine.accepted !== (gpuError === undefined)) {
      t.disagreements.push(`ours: ${why(mine)} | Dawn: ${gpuError ?? 'accepted'} | ${describeValue(c.dawn)}`);
    } else if (mine.accepted) t.bothAccepted++;
    else t.bothRejected++;
  }

  /** Prints one line per kind and the first disagreements. */
  print(prefix: string): void {
    for (const [kind, t] of this.tallies) {
      console.log(
        `${prefix} ${kind}: ${t.cases} cases, both accepted ${t.bothAccepted}, both rejected ${t.bothRejected}, ` +
          `typed error only ${t.typedOnly}, refused by choice ${t.byChoice.dawnAccepted + t.byChoice.dawnRejected} ` +
          `(Dawn accepts ${t.byChoice.dawnAccepted}), disagreements ${t.disagreements.length}`,
      );
      for (const d of t.disagreements.slice(0, 12)) console.log(`  ${d}`);
    }
  }
}
