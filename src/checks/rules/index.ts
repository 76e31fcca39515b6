import { RuleDefinition } from '../rule';
import { AlarmTopicKey } from './alarm-topic-key';
import { AthenaWorkGroupEncryption } from './athena-work-group-encryption';
import { AwsManagedKeyShared } from './aws-managed-key-shared';
import { BucketCustomerManagedKey } from './bucket-customer-managed-key';
import { BucketKeyEnabled } from './bucket-key-enabled';
import { BucketMinimumTls } from './bucket-minimum-tls';
import { BucketSecureTransport } from './bucket-secure-transport';
import { CrossAccountKeyAccess } from './cross-account-key-access';
import { DeliveryStreamCustomerManagedKey } from './delivery-stream-customer-managed-key';
import { EmrCustomerManagedKey } from './emr-customer-managed-key';
import { EmrEncryptionEnabled } from './emr-encryption-enabled';
import { GlueCatalogEncryption } from './glue-catalog-encryption';
import { GlueSecurityConfigurationKey } from './glue-security-configuration-key';
import { IdentityKeyWildcard } from './identity-key-wildcard';
import { KeyLifecycle } from './key-lifecycle';
import { KeyMonitored } from './key-monitored';
import { KeyNetworkConditionS3 } from './key-network-condition-s3';
import { KeyPolicyAdministrator } from './key-policy-administrator';
import { KeyPolicyCrossAccountScoping } from './key-policy-cross-account-scoping';
import { KeyPolicyTakeover } from './key-policy-takeover';
import { KeyRotation } from './key-rotation';
import { NetworkDenyLockout } from './network-deny-lockout';
import { OneBucketPolicy } from './one-bucket-policy';
import { OrganizationOwnerAccount } from './organization-owner-account';
import { PartnerDestructiveAccess } from './partner-destructive-access';
import { PartnerWriteOwnership } from './partner-write-ownership';
import { PolicySize } from './policy-size';
import { RedshiftCustomerManagedKey } from './redshift-customer-managed-key';
import { RedshiftRequireSsl } from './redshift-require-ssl';
import { SseCBlocked } from './sse-c-blocked';
import { StreamCustomerManagedKey } from './stream-customer-managed-key';

/** Every rule of the DataProtection pack, in id order. */
export const RULES: readonly RuleDefinition[] = [
  BucketCustomerManagedKey,
  BucketSecureTransport,
  BucketMinimumTls,
  KeyRotation,
  CrossAccountKeyAccess,
  AwsManagedKeyShared,
  BucketKeyEnabled,
  SseCBlocked,
  KeyPolicyCrossAccountScoping,
  NetworkDenyLockout,
  KeyNetworkConditionS3,
  KeyPolicyAdministrator,
  PolicySize,
  KeyLifecycle,
  PartnerWriteOwnership,
  OneBucketPolicy,
  OrganizationOwnerAccount,
  IdentityKeyWildcard,
  PartnerDestructiveAccess,
  KeyPolicyTakeover,
  AlarmTopicKey,
  KeyMonitored,
  StreamCustomerManagedKey,
  DeliveryStreamCustomerManagedKey,
  GlueSecurityConfigurationKey,
  GlueCatalogEncryption,
  AthenaWorkGroupEncryption,
  EmrEncryptionEnabled,
  EmrCustomerManagedKey,
  RedshiftCustomerManagedKey,
  RedshiftRequireSsl,
];
