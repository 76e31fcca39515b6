import { Token } from 'aws-cdk-lib';
import { throwValidationError } from '../core/errors';

/** `s3://<bucket>/<key>` ending with `suffix`; the bucket as S3 names it (3 to 63 lowercase letters, digits, dots, hyphens). */
function s3UriPattern(suffix: string): RegExp {
  return new RegExp(`^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/.+\\${suffix}$`);
}

/**
 * Throws unless `uri` is `s3://<bucket>/<key><suffix>`; a token is checked
 * by the construct once it resolves.
 *
 * @internal
 */
export function validateS3Uri(label: string, uri: string, suffix: string, what: string): void {
  if (typeof uri !== 'string') {
    throwValidationError('InvalidEmrCertificates', `${label} must be a string, an S3 URI s3://<bucket>/<key>${suffix}, got ${JSON.stringify(uri)}`);
  }
  if (Token.isUnresolved(uri)) {
    return;
  }
  if (!s3UriPattern(suffix).test(uri)) {
    throwValidationError(
      'InvalidEmrCertificates',
      `${label} must be an S3 URI of ${what}, s3://<bucket>/<key>${suffix} (e.g. s3://my-config/emr/certs${suffix}), got ${JSON.stringify(uri)}. ` +
        'EMR downloads the artifact from S3 when each instance starts: upload it and give its s3:// URI (not an https:// URL, an ARN or a local path).',
    );
  }
}

/**
 * How an {@link EmrSecurityConfiguration} encrypts data in transit: TLS
 * between the cluster's nodes and for its applications (Spark, Hadoop,
 * Presto, Tez), with certificates EMR gets from the provider named here.
 *
 * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-encryption-enable.html#emr-encryption-certificates
 * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-create-security-configuration.html
 */
export abstract class EmrInTransitEncryption {
  /**
   * TLS with PEM certificates: a zip file in S3 holding `privateKey.pem`,
   * `certificateChain.pem` and (optionally) `trustedCertificates.pem`.
   *
   * @param s3Uri the zip file, `s3://<bucket>/<key>.zip`
   * @throws if `s3Uri` is not an `s3://<bucket>/<key>.zip` URI
   */
  public static pemCertificates(s3Uri: string): EmrInTransitEncryption {
    validateS3Uri('EmrInTransitEncryption.pemCertificates(s3Uri): s3Uri', s3Uri, '.zip', 'a zip file of PEM certificates');
    return new TlsEncryption(s3Uri, undefined, '.zip', 'a zip file of PEM certificates');
  }

  /**
   * TLS with certificates from a custom provider: a Java class implementing
   * `TLSArtifactsProvider`, in a JAR file in S3.
   *
   * @param s3Uri the JAR file, `s3://<bucket>/<key>.jar`
   * @param providerClass the provider's fully qualified class name, e.g. `com.example.MyCertProvider`
   * @throws if `s3Uri` is not an `s3://<bucket>/<key>.jar` URI or `providerClass` is not a Java class name
   */
  public static customProvider(s3Uri: string, providerClass: string): EmrInTransitEncryption {
    validateS3Uri('EmrInTransitEncryption.customProvider(s3Uri, providerClass): s3Uri', s3Uri, '.jar', 'a JAR file of the provider');
    if (typeof providerClass !== 'string' || (!Token.isUnresolved(providerClass) && !/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(providerClass))) {
      throwValidationError(
        'InvalidEmrCertificates',
        `EmrInTransitEncryption.customProvider(s3Uri, providerClass): providerClass must be a fully qualified Java class name such as com.example.MyCertProvider, got ${JSON.stringify(providerClass)}`,
      );
    }
    return new TlsEncryption(s3Uri, providerClass, '.jar', 'a JAR file of the provider');
  }

  /**
   * No encryption in transit: traffic between the cluster's nodes is plain
   * text. The security configuration warns
   * `cdk-data-protection:emrInTransitEncryptionOff`, and DP29 reports it as
   * that warning.
   */
  public static disabled(): EmrInTransitEncryption {
    return new NoTlsEncryption();
  }

  /** Whether TLS is on. */
  public abstract readonly enabled: boolean;

  /**
   * The `InTransitEncryptionConfiguration` of the security configuration,
   * and the S3 URI to check once resolved.
   *
   * @internal
   */
  public abstract _render(): { configuration?: Record<string, unknown>; s3Uri?: string; suffix?: string; what?: string };
}

class TlsEncryption extends EmrInTransitEncryption {
  public readonly enabled = true;

  constructor(
    private readonly s3Uri: string,
    private readonly providerClass: string | undefined,
    private readonly suffix: string,
    private readonly what: string,
  ) {
    super();
  }

  public _render() {
    const certificates: Record<string, unknown> = this.providerClass
      ? { CertificateProviderType: 'Custom', S3Object: this.s3Uri, CertificateProviderClass: this.providerClass }
      : { CertificateProviderType: 'PEM', S3Object: this.s3Uri };
    return { configuration: { TLSCertificateConfiguration: certificates }, s3Uri: this.s3Uri, suffix: this.suffix, what: this.what };
  }
}

class NoTlsEncryption extends EmrInTransitEncryption {
  public readonly enabled = false;

  public _render() {
    return {};
  }
}
