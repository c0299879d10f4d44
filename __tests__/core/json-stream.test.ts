import { describe, expect, it } from '@jest/globals';
import { parseJsonStream } from '../../src/core/json-stream.js';

describe('parseJsonStream', () => {
  it('splits concatenated pretty-printed objects like go list -json prints', () => {
    const text = '{\n\t"ImportPath": "a",\n\t"X": "}{"\n}\n{\n\t"ImportPath": "b",\n\t"Err": {"Pos": "\\"q"}\n}\n';
    const { values, garbage } = parseJsonStream<{ ImportPath: string }>(text);
    expect(values.map((v) => v.ImportPath)).toEqual(['a', 'b']);
    expect(garbage).toEqual([]);
  });
  it('keeps garbage apart and survives a truncated tail', () => {
    const { values, garbage } = parseJsonStream('panic: boom\n{"a":1}\n{"b":');
    expect(values).toEqual([{ a: 1 }]);
    expect(garbage).toEqual(['panic: boom', '{"b":']);
  });
  it('parses an array (go tool dist list -json)', () => {
    expect(parseJsonStream('[{"GOOS":"linux"}]').values).toEqual([[{ GOOS: 'linux' }]]);
  });
});
