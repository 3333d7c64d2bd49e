import { CopyTextParser, encodeCopyRow, unescapeCopyText } from '../../src/copy/copy-text-format';

describe('the COPY text format', () => {
  it('parses rows cut anywhere across chunks, multi-byte characters included', () => {
    const text = Buffer.from('1\tümlaut ✓ 日本\t\\N\n2\ttab\\there\\\\x\t\n');
    const parser = new CopyTextParser(3);
    const rows = [];
    for (let i = 0; i < text.length; i++) rows.push(...parser.push(text.subarray(i, i + 1)));
    parser.end();
    expect(rows).toEqual([['1', 'ümlaut ✓ 日本', null], ['2', 'tab\there\\x', '']]);
  });

  it('reads every backslash escape: named, octal and hex bytes decoded as UTF-8', () => {
    expect(unescapeCopyText('\\b\\f\\n\\r\\t\\v\\\\\\N')).toBe('\b\f\n\r\t\v\\N');
    expect(unescapeCopyText('\\303\\274-\\xc3\\xbc-\\101')).toBe('ü-ü-A');
  });

  it('refuses output that ends inside a row, or a row of another width', () => {
    const parser = new CopyTextParser(2);
    expect(() => parser.push(Buffer.from('1\n'))).toThrow('COPY output has a row of 1 values where 2 were expected');
    const cut = new CopyTextParser(1);
    cut.push(Buffer.from('1\n2'));
    expect(() => cut.end()).toThrow('COPY output ended inside a row');
  });

  it('encodes a row so that the parser reads it back', () => {
    const line = encodeCopyRow(['a\\b\tc\nd\re', null, '', '\\N', 7, 8n, true, Buffer.from([1, 255])]);
    expect(line).toBe('a\\\\b\\tc\\nd\\re\t\\N\t\t\\\\N\t7\t8\tt\t\\\\x01ff\n');
    expect(new CopyTextParser(8).push(Buffer.from(line))).toEqual([['a\\b\tc\nd\re', null, '', '\\N', '7', '8', 't', '\\x01ff']]);
  });
});
