import { Token } from 'aws-cdk-lib';

/**
 * The Athena SQL engine version a workgroup runs its queries on
 * (`WorkGroupConfiguration.EngineVersion.SelectedEngineVersion`).
 *
 * @see https://docs.aws.amazon.com/athena/latest/APIReference/API_EngineVersion.html
 * @see https://docs.aws.amazon.com/athena/latest/ug/engine-versions-changing.html
 */
export class AthenaEngineVersion {
  /** Athena chooses the version and upgrades the workgroup itself (Athena's default). */
  public static readonly AUTO = new AthenaEngineVersion('AUTO');

  /** Athena engine version 3. */
  public static readonly V3 = new AthenaEngineVersion('Athena engine version 3');

  /**
   * Another version, by the name `ListEngineVersions` returns, e.g.
   * `Athena engine version 3`.
   *
   * @param name the version's name, 1 to 128 characters
   * @throws if `name` is not a string of 1 to 128 characters
   */
  public static of(name: string): AthenaEngineVersion {
    if (typeof name !== 'string' || (!Token.isUnresolved(name) && (name.length < 1 || name.length > 128))) {
      throw new Error(
        `AthenaEngineVersion.of(name): name must be an engine version name of 1 to 128 characters as ListEngineVersions returns it (e.g. "Athena engine version 3"), got ${JSON.stringify(name)}. ` +
          'Use AthenaEngineVersion.AUTO or AthenaEngineVersion.V3.',
      );
    }
    return new AthenaEngineVersion(name);
  }

  private constructor(
    /** The value of `SelectedEngineVersion`. */
    public readonly name: string,
  ) {}
}
