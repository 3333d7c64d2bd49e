import { createProgress } from '../../src/output/progress';
import type { CliOutput } from '../../src/output/terminal';

function output(errIsTTY: boolean): { out: CliOutput; err: () => string } {
  let err = '';
  return { out: { out: () => undefined, err: (t) => { err += t; }, isTTY: false, errIsTTY, columns: undefined, color: false }, err: () => err };
}

describe('createProgress', () => {
  it('draws a bar in place on a terminal and ends its line when finished', () => {
    const o = output(true);
    const progress = createProgress(o.out, { label: 're-wrapping data keys', total: 4, every: 2, quiet: false });
    progress.update(2);
    progress.finish(4);
    expect(o.err()).toBe(`\rre-wrapping data keys [${'█'.repeat(15)}${'░'.repeat(15)}]  50% 2/4\rre-wrapping data keys [${'█'.repeat(30)}] 100% 4/4\n`);
  });

  it('prints a plain line every `every` items off a terminal, and the last count once', () => {
    const o = output(false);
    const progress = createProgress(o.out, { label: 'keys', total: 5, every: 2, quiet: false });
    for (let done = 1; done <= 5; done++) progress.update(done);
    progress.finish(5);
    expect(o.err()).toBe('keys: 2/5\nkeys: 4/5\nkeys: 5/5\n');
  });

  it('writes nothing when quiet', () => {
    const o = output(true);
    const progress = createProgress(o.out, { label: 'keys', total: 5, every: 2, quiet: true });
    progress.update(3);
    progress.finish(5);
    expect(o.err()).toBe('');
  });
});
