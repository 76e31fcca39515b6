import * as fc from 'fast-check';
import { wildcardMatch } from '../../src/analysis/policy';

/** IAM's wildcard reading as a RegExp, the way `wildcardMatch` read patterns before it matched them itself. */
function asRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`, 'i');
}

/** Characters where a hand-written reading could part from the RegExp: case folding, line terminators, surrogates, RegExp syntax. */
const TRICKY = [
  'a', 'A', 'b', 's', 'S', 'k', 'K', 'i', 'I', '*', '?', '.', ':', '/', '-', '$', '\\', '[', ']', '(', '{', '|', '+', '^',
  '\u00df', '\u017f', '\u212a', '\u0131', '\u00e9', '\u00c9', '\u01c5', '\u01c4', '\u01c6', '\u00b5', '\u039c', '\u00ff', '\u0178',
  '\n', '\r', '\u2028', '\u2029', '\ud83d', '\ude00',
];
const text = (maxLength: number) => fc.array(fc.constantFrom(...TRICKY), { maxLength }).map((cs) => cs.join(''));

describe('wildcardMatch', () => {
  test('answers as the RegExp reading of the pattern does (`*`, `?`, case-insensitive as the i flag, no line terminators)', () => {
    fc.assert(
      fc.property(text(8), text(10), (pattern, value) => wildcardMatch(pattern, value) === asRegExp(pattern).test(value)),
      { numRuns: 20_000 },
    );
  });

  test('answers as the RegExp reading for values made from the pattern', () => {
    const made = text(8).chain((pattern) =>
      fc.tuple(fc.constant(pattern), fc.array(text(3), { minLength: pattern.length, maxLength: pattern.length })).map(([p, fills]) => {
        const value = p.split('').map((c, i) => (c === '*' || c === '?' ? fills[i] : c)).join('');
        return [p, value] as const;
      }),
    );
    fc.assert(fc.property(made, ([pattern, value]) => wildcardMatch(pattern, value) === asRegExp(pattern).test(value)), { numRuns: 20_000 });
  });

  test('each UTF-16 code unit compares with its case variants as the i flag compares them', () => {
    const differ: string[] = [];
    for (let code = 0; code < 0x10000; code++) {
      const c = String.fromCharCode(code);
      for (const other of new Set([c.toUpperCase(), c.toLowerCase(), 'S', 'k', 'I'])) {
        if (other.length === 1 && (wildcardMatch(c, other) !== asRegExp(c).test(other) || wildcardMatch(other, c) !== asRegExp(other).test(c))) {
          differ.push(`U+${code.toString(16)} / ${JSON.stringify(other)}`);
        }
      }
    }
    expect(differ).toEqual([]);
  });

  test('IAM examples', () => {
    expect(wildcardMatch('s3:Get*', 's3:GetObject')).toBe(true);
    expect(wildcardMatch('S3:GET*', 's3:getobject')).toBe(true);
    expect(wildcardMatch('kms:GenerateDataKey*', 'kms:GenerateDataKeyWithoutPlaintext')).toBe(true);
    expect(wildcardMatch('kms:Decrypt', 'kms:DecryptX')).toBe(false);
    expect(wildcardMatch('arn:aws:s3:::b/*', 'arn:aws:s3:::b/a/b/c')).toBe(true);
    expect(wildcardMatch('arn:aws:s3:::b?', 'arn:aws:s3:::b')).toBe(false);
    expect(wildcardMatch('a.c', 'abc')).toBe(false);
    expect(wildcardMatch('*', '')).toBe(true);
    expect(wildcardMatch('', '')).toBe(true);
    expect(wildcardMatch('*', 'a\nb')).toBe(false);
  });
});
