import { describe, expect, test } from 'vitest';
import { displayWidth, fit, truncate, wrap } from '../../src/text/width.js';

describe('displayWidth', () => {
  test('counts ASCII one column per character', () => {
    expect(displayWidth('example.com')).toBe(11);
  });
  test('counts CJK and emoji two columns each', () => {
    expect(displayWidth('日本📧')).toBe(6);
  });
  test('counts combining marks as zero columns', () => {
    expect(displayWidth('e\u0301')).toBe(1);
  });
});

describe('truncate', () => {
  test('leaves text that fits alone', () => {
    expect(truncate('abc', 3)).toBe('abc');
  });
  test('cuts long text and ends it with an ellipsis within the width', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
  });
  test('never splits a wide character past the width', () => {
    expect(displayWidth(truncate('日本語テキスト', 6))).toBeLessThanOrEqual(6);
  });
});

describe('fit', () => {
  test('pads to the width, right-aligned on request', () => {
    expect(fit('42', 5, true)).toBe('   42');
  });
});

describe('wrap', () => {
  test('breaks at spaces within the width', () => {
    expect(wrap('one two three four', 9)).toEqual(['one two', 'three', 'four']);
  });
  test('breaks words longer than a line', () => {
    expect(wrap('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
  });
});
