import { CfnResource } from 'aws-cdk-lib';
import { KEY } from '../../analysis/bucket';
import { render } from '../../analysis/template';
import { RuleCompliance, RuleDefinition, RuleLevel } from '../rule';

/**
 * DP4: a symmetric encryption KMS key in AWS KMS key material rotates
 * automatically. Asymmetric and HMAC keys, keys with imported material and
 * keys in custom key stores cannot rotate automatically: not applicable.
 */
export const KeyRotation: RuleDefinition = {
  id: 'DP4',
  level: RuleLevel.ERROR,
  info: 'The KMS key does not rotate its key material automatically.',
  explanation:
    'A key that never rotates keeps encrypting new data under the same material for as long as it exists, and most compliance frameworks require rotation. ' +
    'Fix: set EnableKeyRotation: true (enableKeyRotation: true on kms.Key, with rotationPeriod between 90 and 2560 days; CrossAccountSharedKey rotates every 365 days by default).',
  check(node: CfnResource): RuleCompliance {
    if (node.cfnResourceType !== KEY) {
      return RuleCompliance.NOT_APPLICABLE;
    }
    const props = render(node).props;
    const spec = props.KeySpec ?? 'SYMMETRIC_DEFAULT';
    const origin = props.Origin ?? 'AWS_KMS';
    if (spec !== 'SYMMETRIC_DEFAULT' || origin !== 'AWS_KMS') {
      return RuleCompliance.NOT_APPLICABLE;
    }
    const rotation = props.EnableKeyRotation;
    if (rotation === true || rotation === 'true') {
      return RuleCompliance.COMPLIANT;
    }
    if (rotation === undefined || rotation === false || rotation === 'false') {
      return RuleCompliance.NON_COMPLIANT;
    }
    return RuleCompliance.NOT_APPLICABLE;
  },
};
