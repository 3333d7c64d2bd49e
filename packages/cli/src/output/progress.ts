import type { CliOutput } from './terminal';

/** Reports how far a long command got, on standard error. */
export interface Progress {
  /** `done` of the total are done. */
  update(done: number): void;
  /** Ends the report (the bar's line, or the last plain line). */
  finish(done: number): void;
}

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** What is counted, e.g. 're-wrapping data keys'. */
  readonly label: string;
  readonly total: number;
  /** Off the terminal, one plain line each time this many more are done. */
  readonly every: number;
  /** Nothing at all (e.g. with --json, where the output is only the final JSON). */
  readonly quiet: boolean;
}

const BAR_WIDTH = 30;
/** A bar is redrawn at most this often, so a fast loop does not spend its time writing to the terminal. */
const REDRAW_MS = 100;

/**
 * A progress report on standard error: on a terminal a bar redrawn in place (`\r`), elsewhere (a pipe, a CI log)
 * a plain line every `every` items, and nothing when quiet.
 *
 * @param output - where to write, and whether standard error is a terminal
 * @param options - label, total, plain-line interval, quiet
 * @example
 * const progress = createProgress(ctx.output, { label: 're-wrapping data keys', total, every: 500, quiet: false });
 */
export function createProgress(output: CliOutput, options: ProgressOptions): Progress {
  const { label, total, every, quiet } = options;
  if (quiet) return { update: () => undefined, finish: () => undefined };
  if (output.errIsTTY === true) {
    let drawnAt = 0;
    let drawn = false;
    const draw = (done: number): void => {
      const ratio = total === 0 ? 1 : Math.min(1, done / total);
      const filled = Math.round(ratio * BAR_WIDTH);
      output.err(`\r${label} [${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}% ${done}/${total}`);
      drawn = true;
    };
    return {
      update(done) {
        const now = Date.now();
        if (now - drawnAt < REDRAW_MS) return;
        drawnAt = now;
        draw(done);
      },
      finish(done) {
        draw(done);
        if (drawn) output.err('\n');
      },
    };
  }
  let printed = 0;
  const line = (done: number): void => {
    printed = done;
    output.err(`${label}: ${done}/${total}\n`);
  };
  return {
    update(done) {
      if (done - printed >= every) line(done);
    },
    finish(done) {
      if (done !== printed) line(done);
    },
  };
}
