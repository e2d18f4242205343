import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const repoRoot = join(__dirname, '..', '..', '..');
export const chartDir = join(repoRoot, 'helm', 'confer');

/** A Kubernetes object as rendered: only the fields the tests read are typed. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

let helmBin: string | undefined;

/** Helm 4, extracted once by the project's own script (cached by version). */
export function helm(): string {
  helmBin ??= execFileSync('bash', [join(repoRoot, 'scripts', 'install-helm.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  return helmBin;
}

export interface HelmRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runHelm(args: string[]): HelmRun {
  const run = spawnSync(helm(), args, { encoding: 'utf8', cwd: repoRoot });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** `helm template` with values files, --set pairs (typed) and --set-string pairs; throws with Helm's message. */
export function renderChart(
  options: { valuesFiles?: string[]; set?: Record<string, string>; setString?: Record<string, string> } = {},
): K8sObject[] {
  const args = ['template', 'confer', chartDir, '--namespace', 'calls'];
  for (const file of options.valuesFiles ?? []) args.push('-f', join(chartDir, 'examples', file));
  for (const [key, value] of Object.entries(options.set ?? {})) args.push('--set', `${key}=${value}`);
  for (const [key, value] of Object.entries(options.setString ?? {}))
    args.push('--set-string', `${key}=${value}`);
  const run = runHelm(args);
  if (run.status !== 0) throw new Error(`helm template failed: ${run.stderr}`);
  return parseAllDocuments(run.stdout)
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

export const byKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);

/** Every pod template of the rendered workloads (Deployments and the migration Job). */
export function podTemplates(objects: K8sObject[]): { owner: K8sObject; pod: any }[] {
  return objects
    .filter((o) => o.kind === 'Deployment' || o.kind === 'Job')
    .map((owner) => ({ owner, pod: owner.spec.template }));
}
