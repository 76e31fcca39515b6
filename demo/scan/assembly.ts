// The cloud assembly reading of the package's command (src/cli/assembly.ts), shared by the demo's scanners.
export { includeTemplates, readTemplate, stackTemplates } from '../../src/cli/assembly';
