import { Reference, Token, Tokenization } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AccessLevel } from './partner';
import { constructSidPart, physicalBucketName, shortHash } from './partner-policy';
import { allowClientSideKeyUseByIdentity } from '../statements/client-side';
import { allowSharedBucketAccess, allowSharedKeyUse, allowSharedPrefixListing } from '../statements/partner-identity';
import { sidClientSideIdentityKeyUse } from '../statements/sids';

/**
 * The identity policy a partner attaches to use a shared bucket: S3 actions
 * on exactly that bucket (or prefix), KMS actions on exactly that key, only
 * through S3 in the key's Region, only for that bucket's objects. The values
 * are checked by the caller (`CrossAccountConsumerPolicy`, `EncryptedBucket`).
 *
 * Its Sids name the bucket (and prefix), `SharedReadBucketAccessOnProducerexchange`,
 * so that the producer's report, which puts every grant of a partner in one
 * document, and each `CrossAccountConsumerPolicy` write the same Sids.
 *
 * With `accessPointArn` (a bucket shared through access points), the S3
 * statements name the access point and its objects (`<ARN>/object/…`):
 * requests through it are authorized against the access point's ARN.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html
 */
export function consumerPolicyDocument(
  bucketArn: string,
  keyArn: string,
  access: AccessLevel,
  prefix: string | undefined,
  viaService: string,
  bucket?: s3.IBucket,
  clientSideEncryption?: boolean,
  accessPointArn?: string,
): iam.PolicyDocument {
  const scope = sharedSidPart(bucketArn, prefix, bucket);
  const statements = [allowSharedBucketAccess(bucketArn, access, prefix, scope, accessPointArn)];
  if (prefix !== undefined && access !== AccessLevel.WRITE) {
    statements.push(allowSharedPrefixListing(accessPointArn ?? bucketArn, prefix, scope));
  }
  statements.push(allowSharedKeyUse(keyArn, access, viaService, bucketArn, scope));
  if (clientSideEncryption) {
    // the objects' client-side envelope; S3 still encrypts them at rest under the bucket's key (the statement above)
    statements.push(allowClientSideKeyUseByIdentity(keyArn, access, sidClientSideIdentityKeyUse(access, scope)));
  }
  return new iam.PolicyDocument({ statements });
}

/**
 * The part of a consumer statement's Sid that names the shared bucket (and
 * prefix): what both sides know of it. The bucket's name, letters and digits
 * only (`producer-exchange` → `Producerexchange`), read from the ARN when the
 * name in it is a literal, or from the bucket the ARN refers to in this app;
 * a bucket without a physical name is named by its construct (as the key
 * policy's partner Sids are); then `Prefix<hash of the prefix>` for a prefix.
 * Undefined when the name is known only at deployment (a parameter, an
 * import) and there is no prefix.
 *
 * @param bucket the bucket, when the caller has it (the producer's report): named as a reference to it would be
 */
export function sharedSidPart(bucketArn: string, prefix?: string, bucket?: s3.IBucket): string | undefined {
  const cfn = bucket?.node.defaultChild;
  const name = cfn instanceof s3.CfnBucket ? bucketPart(cfn) : bucketNamePart(bucketArn);
  const part = `${name ?? ''}${prefix !== undefined ? `Prefix${shortHash(prefix)}` : ''}`;
  return part === '' ? undefined : part;
}

function bucketNamePart(bucketArn: string): string | undefined {
  const at = bucketArn.lastIndexOf(':s3:::');
  const literal = at >= 0 ? bucketArn.slice(at + ':s3:::'.length).split('/')[0] : undefined;
  if (literal !== undefined && !Token.isUnresolved(literal)) {
    return alphanumeric(literal);
  }
  const ref = Token.isUnresolved(bucketArn) ? Tokenization.reverseString(bucketArn).firstToken : undefined;
  if (!ref || !Reference.isReference(ref) || !(ref.target instanceof s3.CfnBucket)) {
    return undefined;
  }
  return bucketPart(ref.target);
}

/** A bucket of this app: its literal physical name, else its construct (a name that holds tokens differs per environment). */
function bucketPart(cfn: s3.CfnBucket): string | undefined {
  const name = physicalBucketName(cfn);
  if (name !== undefined && !Token.isUnresolved(name)) {
    return alphanumeric(name);
  }
  const owner = cfn.node.scope;
  return constructSidPart(owner instanceof s3.Bucket ? owner : cfn);
}

function alphanumeric(name: string): string | undefined {
  const alnum = name.replace(/[^A-Za-z0-9]/g, '');
  return alnum === '' ? undefined : alnum.charAt(0).toUpperCase() + alnum.slice(1);
}
