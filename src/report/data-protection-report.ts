import * as fs from 'fs';
import * as path from 'path';
import { Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { htmlOf } from './html';
import { markdownOf } from './markdown';
import { buildReport, REPORT_SCHEMA } from './model';
import { CONSTRUCT, optionalString, requireConstruct, requireString } from '../core/props';

/**
 * Who can read and write the data of a stack, and under which conditions:
 * the access report of the stack.
 *
 * Every stack that holds a construct of this library writes its report at
 * synthesis, next to its template in the cloud assembly, without anything to
 * call: `<stack>.data-protection.json` (machine-readable; schema in the
 * README, section "Access report") and `<stack>.data-protection.md` (for
 * people; renders on GitHub, with a Mermaid diagram). Values known only
 * after deployment are shown as `${LogicalId}` or `${LogicalId.Attribute}`,
 * as `cdk diff` shows them.
 *
 * Turn the files off with the context value `cdk-data-protection:report`
 * set to `false`.
 *
 * @example
 * const report = DataProtectionReport.of(stack);
 * const model = report.toJson();
 */
export class DataProtectionReport {
  /** The `schema` field of every report this version writes. */
  public static readonly SCHEMA = REPORT_SCHEMA;

  /** Suffix of the JSON report file, after the stack's artifact id. */
  public static readonly JSON_SUFFIX = '.data-protection.json';

  /** Suffix of the Markdown report file, after the stack's artifact id. */
  public static readonly MARKDOWN_SUFFIX = '.data-protection.md';

  /** File name of the HTML report of a whole app, written by {@link DataProtectionReport.writeHtml}. */
  public static readonly HTML_FILE_NAME = 'data-protection.html';

  /**
   * The report of the stack `scope` belongs to.
   *
   * @param scope a stack, or any construct in it
   */
  public static of(scope: IConstruct): DataProtectionReport {
    requireConstruct('scope', scope, CONSTRUCT);
    return new DataProtectionReport(Stack.of(scope));
  }

  /**
   * The Markdown reports written into a cloud assembly directory (e.g.
   * `cdk.out`), one after the other, in stack order of their file names.
   *
   * @param assemblyDirectory the cloud assembly directory
   * @returns the concatenated Markdown, or an empty string if there is none
   */
  public static markdownIn(assemblyDirectory: string): string {
    requireString('assemblyDirectory', assemblyDirectory, 'a string (the cloud assembly directory, e.g. app.synth().directory)');
    if (!fs.existsSync(assemblyDirectory)) {
      return '';
    }
    return fs
      .readdirSync(assemblyDirectory)
      .filter((f) => f.endsWith(DataProtectionReport.MARKDOWN_SUFFIX))
      .sort()
      .map((f) => fs.readFileSync(path.join(assemblyDirectory, f), 'utf8'))
      .join('\n');
  }

  /**
   * The HTML report of a whole app: the JSON reports written into a cloud
   * assembly directory (e.g. `cdk.out`), read in the order of their file
   * names, as one self-contained page. It loads nothing, from the network or
   * from disk: the styles and the mermaid library that draws each stack's
   * diagram are inside it. Every text of the reports is HTML-escaped, and each
   * policy statement has an anchor its mentions link to.
   *
   * @param assemblyDirectory the cloud assembly directory, e.g. `app.synth().directory`
   * @returns the HTML page
   * @throws if the directory holds no `*.data-protection.json` file, or one of them is not a report of this schema
   * @see https://mermaid.js.org/
   */
  public static htmlIn(assemblyDirectory: string): string {
    requireString('assemblyDirectory', assemblyDirectory, 'a string (the cloud assembly directory, e.g. app.synth().directory)');
    const files = fs.existsSync(assemblyDirectory) && fs.statSync(assemblyDirectory).isDirectory()
      ? fs.readdirSync(assemblyDirectory).filter((f) => f.endsWith(DataProtectionReport.JSON_SUFFIX)).sort()
      : [];
    if (files.length === 0) {
      throw new Error(
        `htmlIn: no *${DataProtectionReport.JSON_SUFFIX} report in ${assemblyDirectory}. ` +
          'Synthesize an app that uses cdk-data-protection constructs into it first (cdk synth, or app.synth()), ' +
          'and check that the context value cdk-data-protection:report is not false.',
      );
    }
    const reports = files.map((f) => {
      const file = path.join(assemblyDirectory, f);
      let json: any;
      try {
        json = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch (e) {
        throw new Error(`htmlIn: ${file} is not valid JSON (${(e as Error).message}); synthesize the app again.`);
      }
      if (json === null || typeof json !== 'object' || json.schema !== REPORT_SCHEMA) {
        throw new Error(
          `htmlIn: ${file} is not a report of schema ${REPORT_SCHEMA} (schema ${JSON.stringify(json?.schema)}); ` +
            'synthesize the app again with this version of cdk-data-protection.',
        );
      }
      return json;
    });
    return htmlOf(reports);
  }

  /**
   * Writes the HTML report of a whole app (see {@link DataProtectionReport.htmlIn})
   * as `data-protection.html`.
   *
   * @param assemblyDirectory the cloud assembly directory whose reports it shows, e.g. `cdk.out`
   * @param outputDirectory where to write the file (created if missing), by default `assemblyDirectory`
   * @returns the path of the file written
   * @throws if the assembly directory holds no report (see {@link DataProtectionReport.htmlIn})
   */
  public static writeHtml(assemblyDirectory: string, outputDirectory?: string): string {
    requireString('assemblyDirectory', assemblyDirectory, 'a string (the cloud assembly directory, e.g. app.synth().directory)');
    optionalString('outputDirectory', outputDirectory, 'a string (a directory path)');
    const html = DataProtectionReport.htmlIn(assemblyDirectory);
    const dir = outputDirectory ?? assemblyDirectory;
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, DataProtectionReport.HTML_FILE_NAME);
    fs.writeFileSync(file, html);
    return file;
  }

  /** The stack reported on. */
  public readonly stack: Stack;

  /** The JSON report's file name, e.g. `DataProducer.data-protection.json`. */
  public readonly jsonFileName: string;

  /** The Markdown report's file name, e.g. `DataProducer.data-protection.md`. */
  public readonly markdownFileName: string;

  private constructor(stack: Stack) {
    this.stack = stack;
    const base = stack.templateFile.replace(/\.template\.json$/, '');
    this.jsonFileName = `${base}${DataProtectionReport.JSON_SUFFIX}`;
    this.markdownFileName = `${base}${DataProtectionReport.MARKDOWN_SUFFIX}`;
  }

  /**
   * The report as a JSON object (the content of the `.data-protection.json`
   * file). Computed from the stack as it is now; call it after every share
   * and grant is made (the files are written at synthesis).
   */
  public toJson(): any {
    return buildReport(this.stack);
  }

  /** The report as Markdown (the content of the `.data-protection.md` file). */
  public toMarkdown(): string {
    return markdownOf(this.toJson());
  }

  /**
   * Writes both files into a directory.
   *
   * @param directory where to write, by default the cloud assembly directory of the stack's stage
   */
  public writeTo(directory?: string): void {
    optionalString('directory', directory, 'a string (a directory path)');
    const dir = directory ?? Stage.of(this.stack)?.outdir;
    if (!dir) {
      throw new Error(`writeTo(directory): ${this.stack.node.path} is not in a Stage or App, so there is no cloud assembly directory; pass a directory.`);
    }
    this.write(dir, this.toJson());
  }

  /**
   * Writes both files into `directory` from the stack's template as it was
   * written there (its `Resources`), without rendering the stack again.
   * `sourcePaths` (logical id to construct path in the app that wrote the
   * template) names the resources as that app does.
   *
   * @internal
   */
  public _writeFromTemplate(directory: string, resources: Record<string, any>, sourcePaths?: ReadonlyMap<string, string>): void {
    this.write(directory, buildReport(this.stack, resources, sourcePaths));
  }

  private write(dir: string, json: any): void {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, this.jsonFileName), JSON.stringify(json, undefined, 2) + '\n');
    fs.writeFileSync(path.join(dir, this.markdownFileName), markdownOf(json));
  }
}
