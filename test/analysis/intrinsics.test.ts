import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { displayJson } from '../../src/analysis/display-json';
import { IntrinsicMode, walkIntrinsics } from '../../src/analysis/intrinsics';
import { flatten, SELF_ACCOUNT, UNKNOWN } from '../../src/analysis/policy';
import { substituteIntrinsics } from '../../src/analysis/size';
import { Display } from '../../src/report/display';
import { agnosticStack, PRODUCER, producerStack } from '../support/stack';

/** A stack with a bucket `Data`, a key `Key` and a role `Role` (logical ids as written: they are top-level L1s). */
function stackWithResources() {
  const { stack } = producerStack();
  new s3.CfnBucket(stack, 'Data');
  new kms.CfnKey(stack, 'Key', { keyPolicy: {} });
  new iam.CfnRole(stack, 'Role', { assumeRolePolicyDocument: {} });
  return stack;
}

const stack = stackWithResources();
const WARNING_PSEUDO = { 'AWS::Partition': 'aws', 'AWS::AccountId': PRODUCER };
/** What `flatten`'s callers answer for a reference: `[Data]`, `[Role.Arn]`; nothing for `Missing`. */
const flatRef = (logicalId: string, attribute?: string) => (logicalId === 'Missing' ? undefined : `[${logicalId}${attribute ? `.${attribute}` : ''}]`);

/** The four modes of the one walker. */
const modes = {
  flatten: (v: unknown) => flatten(v, flatRef),
  size: (v: unknown) => substituteIntrinsics(stack, v),
  display: (v: unknown) => new Display(stack).json(v),
  warning: (v: unknown) => displayJson(v, stack, WARNING_PSEUDO),
};

/** Deployed lengths `substituteIntrinsics` stands in with (src/analysis/size.ts). */
const FILLER = 'x'.repeat(40);
const BUCKET_NAME = 'producer-data-abcdefgh1234';
const ROLE_ARN = `arn:aws:iam::${PRODUCER}:role/Producer-Role-ABCDEFGH1234`;
const IMPORTED = `arn:aws:service:ap-southeast-2:123456789012:resource/${'x'.repeat(64)}`;

type Row = { flatten: string; size: unknown; display: unknown; warning: unknown };
const cases: [string, unknown, Row][] = [
  ['a string', 'a', { flatten: 'a', size: 'a', display: 'a', warning: 'a' }],
  ['a number', 5, { flatten: '5', size: 5, display: 5, warning: 5 }],
  ['null', null, { flatten: UNKNOWN, size: null, display: null, warning: null }],
  ['Ref AWS::AccountId', { Ref: 'AWS::AccountId' }, { flatten: SELF_ACCOUNT, size: PRODUCER, display: PRODUCER, warning: PRODUCER }],
  ['Ref AWS::Region', { Ref: 'AWS::Region' }, { flatten: UNKNOWN, size: 'eu-west-1', display: 'eu-west-1', warning: '<AWS::Region>' }],
  ['Ref AWS::Partition', { Ref: 'AWS::Partition' }, { flatten: 'aws', size: 'aws', display: 'aws', warning: 'aws' }],
  ['Ref AWS::URLSuffix', { Ref: 'AWS::URLSuffix' }, { flatten: 'amazonaws.com', size: 'amazonaws.com', display: 'amazonaws.com', warning: '<AWS::URLSuffix>' }],
  ['Ref of a bucket', { Ref: 'Data' }, { flatten: '[Data]', size: BUCKET_NAME, display: '${Data}', warning: '<Data>' }],
  ['Ref of an unknown resource', { Ref: 'Missing' }, { flatten: UNKNOWN, size: FILLER, display: '${Missing}', warning: '<Missing>' }],
  [
    'Fn::GetAtt as a list',
    { 'Fn::GetAtt': ['Role', 'Arn'] },
    { flatten: '[Role.Arn]', size: ROLE_ARN, display: '${Role.Arn}', warning: '<Role.Arn>' },
  ],
  [
    'Fn::GetAtt as a dotted string',
    { 'Fn::GetAtt': 'Data.Arn' },
    { flatten: '[Data.Arn]', size: `arn:aws:s3:::${BUCKET_NAME}`, display: '${Data.Arn}', warning: '<Data.Arn>' },
  ],
  ['Fn::GetAtt of another attribute', { 'Fn::GetAtt': ['Role', 'RoleId'] }, { flatten: '[Role.RoleId]', size: FILLER, display: '${Role.RoleId}', warning: '<Role.RoleId>' }],
  [
    'Fn::Join',
    { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { Ref: 'Data' }]] },
    { flatten: 'arn:aws:s3:::[Data]', size: `arn:aws:s3:::${BUCKET_NAME}`, display: 'arn:aws:s3:::${Data}', warning: 'arn:aws:s3:::<Data>' },
  ],
  [
    'Fn::Join inside Fn::Join',
    { 'Fn::Join': ['/', [{ 'Fn::Join': [':', ['arn', { Ref: 'AWS::Partition' }, 's3', '', '', { Ref: 'Data' }]] }, '*']] },
    { flatten: 'arn:aws:s3:::[Data]/*', size: `arn:aws:s3:::${BUCKET_NAME}/*`, display: 'arn:aws:s3:::${Data}/*', warning: 'arn:aws:s3:::<Data>/*' },
  ],
  [
    'Fn::Join of a list known at deployment only',
    { 'Fn::Join': [',', { 'Fn::Split': [',', 'a,b'] }] },
    { flatten: UNKNOWN, size: JSON.stringify([',', FILLER]), display: 'a,b', warning: '<Fn::Join>' },
  ],
  [
    'Fn::Sub without a variable map',
    { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Data}/${Role.Arn}/${!Literal}' },
    {
      flatten: UNKNOWN,
      size: `arn:aws:s3:::${BUCKET_NAME}/${ROLE_ARN}/\${!Literal}`,
      display: 'arn:aws:s3:::${Data}/${Role.Arn}/${!Literal}',
      warning: '<Fn::Sub>',
    },
  ],
  [
    'Fn::Sub with a variable map',
    { 'Fn::Sub': ['${Bucket}/${AWS::Region}', { Bucket: { Ref: 'Data' } }] },
    // the size counts a mapped variable as a reference to its name, as it always has
    { flatten: UNKNOWN, size: `${FILLER}/eu-west-1`, display: '${Data}/eu-west-1', warning: '<Fn::Sub>' },
  ],
  ['Fn::Select of a list', { 'Fn::Select': [1, ['a', { Ref: 'Data' }]] }, { flatten: UNKNOWN, size: FILLER, display: '${Data}', warning: '<Fn::Select>' }],
  [
    'Fn::Select of Fn::Split',
    { 'Fn::Select': ['0', { 'Fn::Split': ['/', 'a/b'] }] },
    { flatten: UNKNOWN, size: FILLER, display: 'a', warning: '<Fn::Select>' },
  ],
  [
    'Fn::Select out of range',
    { 'Fn::Select': [2, ['a']] },
    { flatten: UNKNOWN, size: FILLER, display: '${Fn::Select(2, ["a"])}', warning: '<Fn::Select>' },
  ],
  ['Fn::Split of a literal', { 'Fn::Split': [',', 'a,b'] }, { flatten: UNKNOWN, size: FILLER, display: ['a', 'b'], warning: '<Fn::Split>' }],
  [
    'Fn::Split of a reference',
    { 'Fn::Split': [',', { Ref: 'Data' }] },
    { flatten: UNKNOWN, size: FILLER, display: { 'Fn::Split': [',', '${Data}'] }, warning: '<Fn::Split>' },
  ],
  ['Fn::If', { 'Fn::If': ['Cond', 'short', { Ref: 'Data' }] }, { flatten: UNKNOWN, size: BUCKET_NAME, display: '${Fn::If}', warning: '<Fn::If>' }],
  [
    'Fn::If with AWS::NoValue (a conditional statement)',
    { Statement: [{ 'Fn::If': ['Cond', { Effect: 'Deny' }, { Ref: 'AWS::NoValue' }] }, { 'Fn::If': ['Cond', { Ref: 'AWS::NoValue' }, { Ref: 'AWS::NoValue' }] }] },
    {
      flatten: UNKNOWN,
      size: { Statement: [{ Effect: 'Deny' }] },
      display: { Statement: ['${Fn::If}', '${Fn::If}'] },
      warning: { Statement: ['<Fn::If>', '<Fn::If>'] },
    },
  ],
  [
    'Fn::ImportValue',
    { 'Fn::ImportValue': { 'Fn::Sub': '${AWS::Region}-shared' } },
    { flatten: UNKNOWN, size: IMPORTED, display: '${ImportValue:eu-west-1-shared}', warning: '<Fn::ImportValue>' },
  ],
  ['an unknown intrinsic', { 'Fn::Base64': 'x' }, { flatten: UNKNOWN, size: FILLER, display: '${Fn::Base64}', warning: '<Fn::Base64>' }],
  ['a malformed Ref', { Ref: 5 }, { flatten: UNKNOWN, size: FILLER, display: '${Ref}', warning: '<Ref>' }],
  ['a malformed Fn::Join', { 'Fn::Join': 'abc' }, { flatten: UNKNOWN, size: FILLER, display: '${Fn::Join}', warning: '<Fn::Join>' }],
  [
    'a list',
    ['a', { Ref: 'Data' }, { Ref: 'AWS::NoValue' }],
    { flatten: UNKNOWN, size: ['a', BUCKET_NAME], display: ['a', '${Data}', '${AWS::NoValue}'], warning: ['a', '<Data>', '<AWS::NoValue>'] },
  ],
  [
    'an object',
    { Resource: { Ref: 'Key' }, Condition: { Ref: 'AWS::NoValue' } },
    {
      flatten: UNKNOWN,
      size: { Resource: '1234abcd-12ab-34cd-56ef-1234567890ab' },
      display: { Resource: '${Key}', Condition: '${AWS::NoValue}' },
      warning: { Resource: '<Key>', Condition: '<AWS::NoValue>' },
    },
  ],
];

describe('walkIntrinsics', () => {
  describe('each intrinsic in each mode (flatten, size, display, warning)', () => {
    test.each(cases)('%s', (_name, value, expected) => {
      expect({
        flatten: modes.flatten(value),
        size: modes.size(value),
        display: modes.display(value),
        warning: modes.warning(value),
      }).toEqual(expected);
    });

    test('pseudo parameters of an environment-agnostic stack are shown as references, sized at realistic length', () => {
      const agnostic = agnosticStack().stack;
      const value = { 'Fn::Join': [':', [{ Ref: 'AWS::Region' }, { Ref: 'AWS::AccountId' }]] };
      expect(flatten(value)).toBe(`${UNKNOWN}:${SELF_ACCOUNT}`);
      expect(substituteIntrinsics(agnostic, value)).toBe('ap-southeast-2:123456789012');
      expect(new Display(agnostic).json(value)).toBe('${AWS::Region}:${AWS::AccountId}');
      expect(displayJson(value, agnostic, {})).toBe('<AWS::Region>:<AWS::AccountId>');
    });
  });

  describe('the walk', () => {
    /** A mode that records each hook call and reads only references and joins. */
    function recording(): { calls: string[]; mode: IntrinsicMode<string> } {
      const calls: string[] = [];
      const mode: IntrinsicMode<string> = {
        literal: (v) => String(v),
        ref: (name) => (calls.push(`ref ${name}`), `<${name}>`),
        getAtt: (id, attribute) => (calls.push(`getAtt ${id} ${attribute}`), `<${id}.${attribute}>`),
        join: (separator, parts) => (calls.push('join'), Array.isArray(parts) ? parts.join(separator) : '?'),
        unknown: (fn) => (calls.push(`unknown ${fn ?? '(container)'}`), '?'),
      };
      return { calls, mode };
    }

    test('visits each part once, inner parts first', () => {
      const { calls, mode } = recording();
      expect(walkIntrinsics({ 'Fn::Join': ['-', [{ Ref: 'A' }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['B', 'Arn'] }]] }]] }, mode)).toBe('<A>-<B.Arn>');
      expect(calls).toEqual(['ref A', 'getAtt B Arn', 'join', 'join']);
    });

    test('a mode without a hook gets unknown(fn), and the arguments are not walked', () => {
      const { calls, mode } = recording();
      expect(walkIntrinsics({ 'Fn::Sub': ['${X}', { X: { Ref: 'A' } }] }, mode)).toBe('?');
      expect(walkIntrinsics({ 'Fn::Select': [0, [{ Ref: 'A' }]] }, mode)).toBe('?');
      expect(calls).toEqual(['unknown Fn::Sub', 'unknown Fn::Select']);
    });

    test('a mode without list or object hooks gets unknown() for them, without walking their items', () => {
      const { calls, mode } = recording();
      expect(walkIntrinsics([{ Ref: 'A' }], mode)).toBe('?');
      expect(walkIntrinsics({ A: { Ref: 'A' }, B: 1 }, mode)).toBe('?');
      expect(calls).toEqual(['unknown (container)', 'unknown (container)']);
    });

    test('Fn::Sub is cut like a tagged template; a mapped variable is its walked value unless the mode ignores the map', () => {
      const seen: [string[], string[]][] = [];
      const base = recording().mode;
      const mode: IntrinsicMode<string> = { ...base, sub: (literals, values) => (seen.push([literals, values]), 'sub') };
      walkIntrinsics({ 'Fn::Sub': ['a${X}b${R.Arn}${!Lit}', { X: { Ref: 'A' } }] }, mode);
      walkIntrinsics({ 'Fn::Sub': ['a${X}b', { X: { Ref: 'A' } }] }, { ...mode, ignoresSubVariableMap: true });
      walkIntrinsics({ 'Fn::Sub': '${AWS::Region}' }, mode);
      expect(seen).toEqual([
        [['a', 'b', '${!Lit}'], ['<A>', '<R.Arn>']],
        [['a', 'b'], ['<X>']],
        [['', ''], ['<AWS::Region>']],
      ]);
    });

    test.each([
      ['Ref', { Ref: ['A'] }],
      ['Fn::GetAtt', { 'Fn::GetAtt': ['A', 'B', 'C'] }],
      ['Fn::GetAtt', { 'Fn::GetAtt': 'NoAttribute' }],
      ['Fn::Join', { 'Fn::Join': [1, ['a', 'b']] }],
      ['Fn::Sub', { 'Fn::Sub': ['${X}', 'not a map'] }],
    ])('a malformed %s is unknown(fn)', (fn, value) => {
      const { calls, mode } = recording();
      expect(walkIntrinsics(value, mode)).toBe('?');
      expect(calls).toEqual([`unknown ${fn}`]);
    });

    test('an object with more keys than an intrinsic is an object, not an intrinsic', () => {
      const { calls, mode } = recording();
      expect(walkIntrinsics({ Ref: 'A', Other: 1 }, { ...mode, object: (values) => JSON.stringify(values) })).toBe('{"Ref":"A","Other":"1"}');
      expect(calls).toEqual([]);
    });
  });
});
