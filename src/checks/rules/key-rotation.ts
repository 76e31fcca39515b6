import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { KEY } from '../../analysis/bucket';
import { render } from '../../analysis/template';
import { DataProtectionRule } from '../rule';

/**
 * DP4: a symmetric encryption KMS key in AWS KMS key material rotates
 * automatically. Asymmetric and HMAC keys, keys with imported material and
 * keys in custom key stores cannot rotate automatically: not applicable.
 */
export const KeyRotation: DataProtectionRule = {
  id: 'DP4',
  level: NagMessageLevel.ERROR,
  info: 'The KMS key does not rotate its key material automatically.',
  explanation:
    'A key that never rotates keeps encrypting new data under the same material for as long as it exists, and most compliance frameworks require rotation. ' +
    'Fix: set EnableKeyRotation: true (enableKeyRotation: true on kms.Key, with rotationPeriod between 90 and 2560 days; CrossAccountSharedKey rotates every 365 days by default).',
  check(node: CfnResource): NagRuleResult {
    if (node.cfnResourceType !== KEY) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const props = render(node).props;
    const spec = props.KeySpec ?? 'SYMMETRIC_DEFAULT';
    const origin = props.Origin ?? 'AWS_KMS';
    if (spec !== 'SYMMETRIC_DEFAULT' || origin !== 'AWS_KMS') {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const rotation = props.EnableKeyRotation;
    if (rotation === true || rotation === 'true') {
      return NagRuleCompliance.COMPLIANT;
    }
    if (rotation === undefined || rotation === false || rotation === 'false') {
      return NagRuleCompliance.NON_COMPLIANT;
    }
    return NagRuleCompliance.NOT_APPLICABLE;
  },
};
