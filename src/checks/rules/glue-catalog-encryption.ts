import { CfnResource } from 'aws-cdk-lib';
import { keyReference } from '../../analysis/bucket';
import { isObject, render } from '../../analysis/template';
import { RuleCompliance, RuleDefinition, RuleLevel } from '../rule';

const SETTINGS = 'AWS::Glue::DataCatalogEncryptionSettings';

/** What the Data Catalog's encryption settings leave unprotected; `unknown` when a value is not known before deployment. */
function problems(node: CfnResource): { compliance: RuleCompliance; text?: string } {
  if (node.cfnResourceType !== SETTINGS) {
    return { compliance: RuleCompliance.NOT_APPLICABLE };
  }
  const settings = render(node).props.DataCatalogEncryptionSettings;
  if (settings !== undefined && !isObject(settings)) {
    return { compliance: RuleCompliance.NOT_APPLICABLE }; // an intrinsic: known only at deployment
  }
  const found: string[] = [];
  let unknown = false;
  const key = (what: string, prop: string, value: unknown) => {
    const ref = keyReference(node, value);
    if (ref.kind === 'aws-managed') {
      found.push(`${what} uses ${value === undefined ? `no key (${prop} unset), which is the AWS-managed key alias/aws/glue` : 'an AWS-managed key'}`);
    } else if (ref.kind === 'unknown') {
      unknown = true;
    }
  };

  const atRest = settings?.EncryptionAtRest;
  const mode = isObject(atRest) ? atRest.CatalogEncryptionMode : undefined;
  if (atRest !== undefined && !isObject(atRest)) {
    unknown = true;
  } else if (mode === undefined || mode === 'DISABLED') {
    found.push('encryption at rest is off (EncryptionAtRest.CatalogEncryptionMode is DISABLED or unset)');
  } else if (typeof mode !== 'string') {
    unknown = true;
  } else if (mode !== 'SSE-KMS' && mode !== 'SSE-KMS-WITH-SERVICE-ROLE') {
    found.push(`encryption at rest is ${mode}, not SSE-KMS`);
  } else {
    key('encryption at rest', 'SseAwsKmsKeyId', atRest?.SseAwsKmsKeyId);
  }

  const passwords = settings?.ConnectionPasswordEncryption;
  const returned = isObject(passwords) ? passwords.ReturnConnectionPasswordEncrypted : undefined;
  if (passwords !== undefined && !isObject(passwords)) {
    unknown = true;
  } else if (returned === undefined || returned === false || returned === 'false') {
    found.push('connection password encryption is off (ConnectionPasswordEncryption.ReturnConnectionPasswordEncrypted is false or unset)');
  } else if (returned !== true && returned !== 'true') {
    unknown = true;
  } else {
    key('connection password encryption', 'KmsKeyId', passwords?.KmsKeyId);
  }

  if (found.length > 0) {
    return { compliance: RuleCompliance.NON_COMPLIANT, text: `The Data Catalog's ${found.join('; ')}.` };
  }
  return { compliance: unknown ? RuleCompliance.NOT_APPLICABLE : RuleCompliance.COMPLIANT };
}

/**
 * DP27: the Glue Data Catalog is encrypted at rest (SSE-KMS) and its
 * connection passwords are encrypted, each under a customer-managed KMS key
 * (a missing key id means the AWS-managed `alias/aws/glue`).
 *
 * @see https://docs.aws.amazon.com/glue/latest/dg/encrypt-glue-data-catalog.html
 * @see https://docs.aws.amazon.com/glue/latest/webapi/API_ConnectionPasswordEncryption.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-glue-datacatalogencryptionsettings-encryptionatrest.html
 */
export const GlueCatalogEncryption: RuleDefinition = {
  id: 'DP27',
  settingsUnderConditionBreakPromise: true,
  level: RuleLevel.ERROR,
  info: 'The Glue Data Catalog is not encrypted at rest, or its connection passwords are not encrypted, under a customer-managed KMS key.',
  explanation:
    'Catalog metadata (databases, tables, partitions, column statistics) written while encryption at rest is off stays unencrypted, and connection passwords come back in clear from GetConnection; ' +
    'under the AWS-managed key alias/aws/glue no key policy of yours controls who decrypts, and no other account can ever read the catalog. ' +
    'Fix: set EncryptionAtRest to SSE-KMS with SseAwsKmsKeyId and ConnectionPasswordEncryption to ReturnConnectionPasswordEncrypted true with KmsKeyId, each the ARN of a customer-managed key (GlueDataCatalogEncryption does this).',
  check(node: CfnResource): RuleCompliance {
    return problems(node).compliance;
  },
  details(node: CfnResource): string | undefined {
    return problems(node).text;
  },
};
