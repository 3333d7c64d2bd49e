import { join } from 'node:path';
import { run } from '@privacy-kit/cli';
import { formatTable, stylesFor, visibleLength, wrapText } from '../../src/output/terminal';

const HEAD = ['METHOD', 'PATH', 'HANDLER', 'CATEGORIES', 'PURPOSES', 'BASIS', 'OBSERVED'];
const ROW = ['GET', '/me/recommendations', 'getRecommendations', 'user.behavior.purchase_history', 'personalize.content', 'legitimate_interests', 'user.contact.email'];

describe('formatTable on a terminal of known width', () => {
  it.each([40, 50, 72])('fits every line of a seven-column table into %i columns, cutting cells with an ellipsis', (width) => {
    const lines = formatTable(HEAD, [ROW, ROW], width).split('\n');
    expect(Math.max(...lines.map(visibleLength))).toBeLessThanOrEqual(width);
    expect(lines[2]).toContain('…');
  });

  it('cuts the widest columns first and the columns to keep last', () => {
    const [, , row] = formatTable(HEAD, [ROW], 100, { keep: [0, 1] }).split('\n');
    expect(row).toMatch(/^GET {5}\/me\/recommendations {2}getRecomm\S*…/);
    expect(row).toContain('user.behavi');
    expect(row).not.toContain('user.behavior.purchase_history');
  });

  it('cuts nothing when the width is unknown (a pipe)', () => {
    const row = formatTable(HEAD, [ROW]).split('\n')[2];
    expect(row?.split(/ {2,}/)).toEqual(ROW);
  });

  it('keeps the colour of a cell it cuts', () => {
    const red = stylesFor(true).red('legitimate_interests');
    const [, , row] = formatTable(['A', 'B'], [['x'.repeat(30), red]], 30).split('\n');
    expect(row).toContain('\u001b[31m');
    expect(row?.endsWith('\u001b[39m')).toBe(true);
    expect(visibleLength(row ?? '')).toBeLessThanOrEqual(30);
  });
});

describe('wrapText', () => {
  it('wraps prose at spaces to the width, and leaves it whole when the width is unknown', () => {
    const text = 'twins-shop: 5 routes (4 annotated, 1 without annotation), 3 data categories, 4 purposes';
    expect(wrapText(text, 40).split('\n')).toEqual(['twins-shop: 5 routes (4 annotated, 1', 'without annotation), 3 data categories,', '4 purposes']);
    expect(wrapText(text, undefined)).toBe(text);
  });
});

describe('privacy-kit map on a narrow terminal', () => {
  it('prints the table and its summary within the terminal width', async () => {
    let out = '';
    const code = await run(['map', join(__dirname, '..', 'fixtures', 'twins-app.ts')], { stdout: (s) => { out += s; }, stderr: () => undefined, isTTY: true, columns: 50, env: { NO_COLOR: '1' } });
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines.find((l) => l.startsWith('METH'))).toBeDefined();
    expect(lines.filter((l) => visibleLength(l) > 50)).toEqual([]);
  });
});
