import * as fc from 'fast-check';
import { PartnerRegistry } from '../src';
import { ORG, PARTNER, THIRD } from './support';

/**
 * Whatever a registry file holds, reading it either gives a registry or throws
 * the one InvalidPartnerRegistry error whose every problem names a line:
 * never a TypeError from inside the parser, the schema validator or a factory.
 */
const value = fc.oneof(
  fc.constantFrom(PARTNER, THIRD, '12345', ORG, 'o-A1', `${ORG}/r-ab12/`, `arn:aws:iam::${THIRD}:role/R`, 'READ', 'WRITE', 'READ_WRITE', 'read', 'published/', 'x', 'KEY_NAME'),
  fc.anything({ maxDepth: 1 }),
);
const entry = fc.dictionary(
  fc.constantFrom('account', 'organization', 'organizationPaths', 'principals', 'access', 'prefix', 'prefixMatch', 'note', 'acount'),
  fc.oneof(value, fc.array(value, { maxLength: 2 })),
  { maxKeys: 4 },
);
const registry = fc.oneof(
  { weight: 6, arbitrary: fc.record({ partners: fc.array(entry, { maxLength: 4 }) }) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) },
);

function outcome(read: () => PartnerRegistry): 'read' | 'refused' {
  try {
    read();
    return 'read';
  } catch (e) {
    expect((e as Error).name).toBe('InvalidPartnerRegistry');
    for (const line of (e as Error).message.split('\n').filter((l) => l.startsWith('- '))) {
      expect(line).toMatch(/^- \((JSON|YAML) text\) line \d+/);
    }
    return 'refused';
  }
}

describe('PartnerRegistry', () => {
  describe('any registry file', () => {
    test('is read, or refused with one error listing each problem with its line, as JSON and as YAML', () => {
      const seen = new Set<string>();
      fc.assert(
        fc.property(registry, fc.boolean(), (doc, pretty) => {
          const text = JSON.stringify(doc, undefined, pretty ? 2 : undefined) ?? 'null';
          seen.add(outcome(() => PartnerRegistry.fromJson(text)));
          seen.add(outcome(() => PartnerRegistry.fromYaml(text)));
        }),
        { numRuns: 60 },
      );
      expect(seen).toEqual(new Set(['read', 'refused']));
    });
  });
});
