// Offline validation of Kubernetes manifests against the API's schemas, as shipped by
// kubernetes-models (OpenAPI of Kubernetes 1.3x) and @kubernetes-models/keda (KEDA's CRDs):
// 1. each object's runtime validator (types, required fields, formats);
// 2. unknown fields, which those validators let through but a server with strict field
//    validation (kubectl's default) refuses: the object is type-checked as a TypeScript object
//    literal of the model's interface, whose excess-property check names the stray field.
import path from 'node:path';
import ts from 'typescript';
import { repoRoot } from './run-cli';

export interface Manifest {
  file: string;
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: any;
}

/** The module and interface that model `apiVersion`/`kind`; unknown groups are an error. */
export function modelModule(apiVersion: string, kind: string): { module: string; iface: string } {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (group === 'keda.sh') return { module: `@kubernetes-models/keda/keda.sh/${version}/${kind}`, iface: `I${kind}` };
  const module = group === '' ? `kubernetes-models/${version}/${kind}` : `kubernetes-models/${group}/${version}/${kind}`;
  return { module, iface: `I${kind}` };
}

/** Runs the model's validator; returns its message, or undefined when the object is valid. */
export async function schemaError(manifest: Manifest): Promise<string | undefined> {
  const { module } = modelModule(manifest.apiVersion, manifest.kind);
  let Model: new (data: unknown) => { validate(): void };
  try {
    Model = (await import(module))[manifest.kind];
  } catch {
    return `no schema for ${manifest.apiVersion} ${manifest.kind}`;
  }
  const { apiVersion: _a, kind: _k, file: _f, ...data } = manifest;
  try {
    new Model(data).validate();
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/**
 * Fields the Kubernetes schemas do not define, one message per stray field ("file: kind/name:
 * Object literal may only specify known properties, and 'replica' does not exist ...").
 */
export function unknownFieldErrors(manifests: Manifest[]): string[] {
  const virtual = path.join(repoRoot, 'test', '__manifests_as_literals__.ts');
  const lines: string[] = [];
  const origin: string[] = [];
  manifests.forEach((m, i) => {
    const { module, iface } = modelModule(m.apiVersion, m.kind);
    const { file: _file, ...object } = m;
    lines.push(`import type { ${iface} as T${i} } from '${module}';`);
    origin.push(`${m.file}: ${m.kind}/${m.metadata.name}`);
    lines.push(`export const m${i}: T${i} = ${JSON.stringify(object)};`);
  });
  const source = lines.join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, ...rest) =>
    name === virtual ? ts.createSourceFile(name, source, lang) : getSourceFile(name, lang, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === virtual || fileExists(name);
  const program = ts.createProgram([virtual], options, host);
  const file = program.getSourceFile(virtual)!;
  return ts.getPreEmitDiagnostics(program, file).map((d) => {
    const line = d.start === undefined ? 0 : file.getLineAndCharacterOfPosition(d.start).line;
    const index = Math.floor(line / 2);
    return `${origin[index] ?? '?'}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}
