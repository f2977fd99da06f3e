// The `install` subcommands' implementations (see install.ts for the options).
import { existsSync } from 'node:fs';
import { dump } from 'js-yaml';
import { CATALOG, type Code } from '../core/analysis/catalog/index.ts';
import { diffSpecs, formatValue, type SpecChange } from '../core/config/install/diff.ts';
import {
  enabledComponents,
  type InstalledComponent,
  InstallResolveError,
  PROFILE_NAMES,
  PROFILES,
  profileSpec,
  type ResolvedInstall,
  readIstioOperator,
  resolveInstall,
} from '../core/config/install/index.ts';
import { manifestObjects, manifestYaml } from '../core/config/install/manifest.ts';
import { mergeSpecs } from '../core/config/install/resolve.ts';
import { revisionTags } from '../core/config/install/tags.ts';
import { loadPaths } from '../core/config/load.ts';
import { formatPath, type Resource } from '../core/config/resource.ts';
import { applySets } from './install-set.ts';
import { EXIT, palette, UserError, write } from './output.ts';

type Spec = Record<string, unknown>;

interface Loaded {
  spec: Spec;
  /** one line per problem istioctl would refuse: file:line: path: message */
  errors: string[];
  /** fields istioctl drops without a word (unknown mesh config fields) */
  warnings: string[];
  sources: string[];
  /** file:line of the spec.profile that wins (the last file setting one), to name it in an error */
  profileAt?: string;
}

async function loadResources(paths: readonly string[]): Promise<Resource[]> {
  const load = await loadPaths(paths);
  const fatal = load.problems.filter((p) => p.code !== 'ICA0003');
  if (fatal.length) {
    const p = fatal[0] as (typeof fatal)[number];
    const entry = CATALOG[p.code as Code] as { message: (x: unknown) => string };
    const message = entry.message(p.params);
    // a message that already names the file ("empty.yaml holds no resources", "Cannot read
    // missing.yaml: ...") is not prefixed with it again
    throw new UserError(
      p.file && message.includes(p.file) ? message : `${p.file}${p.line ? `:${p.line}` : ''}: ${message}`,
    );
  }
  return load.resources;
}

const DROPPED = ': istioctl and istiod drop it, the setting has no effect';

/** ` (did you mean "x"?)`, unless the message already offers it. */
function suggestionHint(issue: { message: string; suggestion?: string }): string {
  return issue.suggestion && !issue.message.includes('did you mean')
    ? ` (did you mean "${issue.suggestion}"?)`
    : '';
}

/** The IstioOperators of the files, overlaid in order, with their schema errors. */
async function loadOperators(files: readonly string[]): Promise<Loaded> {
  const resources = await loadResources(files);
  const operators = resources.filter((r) => r.kind === 'IstioOperator');
  if (operators.length === 0)
    throw new UserError(`no IstioOperator (install.istio.io/v1alpha1) in ${files.join(', ')}`);
  let spec: Spec = {};
  const errors: string[] = [];
  const warnings: string[] = [];
  let profileAt: string | undefined;
  for (const r of operators) {
    const model = readIstioOperator(r.raw.spec ?? {});
    for (const issue of model.issues) {
      const path = ['spec', ...issue.path];
      const at = r.locate(path);
      const where = at.file ? `${at.file}:${at.line ?? 1}${at.column ? `:${at.column}` : ''}` : r.name;
      const hint = suggestionHint(issue);
      if (issue.dropped) warnings.push(`${where}: ${formatPath(path)}: ${issue.message}${hint}${DROPPED}`);
      else errors.push(`${where}: ${formatPath(path)}: ${issue.message}${hint}`);
    }
    const raw = r.raw.spec as Spec | undefined;
    if (raw?.profile !== undefined) {
      const at = r.locate(['spec', 'profile']);
      profileAt = at.file ? `${at.file}:${at.line ?? 1}` : r.name;
    }
    spec = mergeSpecs(spec, model.spec);
  }
  return { spec, errors, warnings, sources: operators.map((r) => r.origin.file ?? r.name), profileAt };
}

/** Resolves over the profile; an unknown profile names where it was set (file:line, or --set). */
function resolveOrFail(spec: Spec, profileAt?: string): ResolvedInstall {
  try {
    return resolveInstall(spec);
  } catch (err) {
    if (err instanceof InstallResolveError)
      throw new UserError(profileAt ? `${profileAt}: spec.profile: ${err.message}` : err.message, EXIT.fail);
    throw err;
  }
}

const COMPONENT_TITLE: Record<InstalledComponent['kind'], string> = {
  base: 'Istio core',
  pilot: 'Istiod',
  istiodRemote: 'Istiod remote',
  cni: 'CNI',
  ztunnel: 'Ztunnel',
  ingressGateway: 'Ingress gateway',
  egressGateway: 'Egress gateway',
};

function resourcesText(r: InstalledComponent['resources']): string {
  if (!r) return '';
  const part = (label: string, m?: Record<string, unknown>) =>
    m && Object.keys(m).length
      ? `${label} ${Object.entries(m)
          .map(([k, v]) => `${k} ${String(v)}`)
          .join(', ')}`
      : '';
  return [part('requests', r.requests), part('limits', r.limits)].filter(Boolean).join('; ');
}

function componentLine(c: InstalledComponent): string {
  const mark = c.enabled ? '✔' : '✘';
  const head = `${mark} ${COMPONENT_TITLE[c.kind]} ${c.kind === 'base' ? '(CRDs, roles, validation)' : c.name}`;
  if (!c.enabled) return `${head}: not installed`;
  const parts: string[] = [];
  if (c.workload) parts.push(`${c.workload} in ${c.namespace}`);
  if (c.replicas !== undefined) parts.push(`${c.replicas} replica${c.replicas === 1 ? '' : 's'}`);
  if (c.autoscale) parts.push(`HPA ${c.autoscale.min}-${c.autoscale.max} replicas`);
  const res = resourcesText(c.resources);
  if (res) parts.push(res);
  if (c.service && c.kind !== 'pilot')
    parts.push(
      `Service ${c.service.type} ${c.service.ports.map((p) => (p.targetPort !== undefined && p.targetPort !== p.port ? `${p.port}->${p.targetPort}` : `${p.port}`)).join(',')}`,
    );
  return parts.length ? `${head}: ${parts.join(', ')}` : head;
}

const MESH_SHOWN = [
  'accessLogFile',
  'accessLogEncoding',
  'outboundTrafficPolicy',
  'enableTracing',
  'rootNamespace',
  'trustDomain',
  'discoverySelectors',
  'defaultConfig',
] as const;

function meshLines(mesh: Record<string, unknown>): string[] {
  const lines: string[] = [];
  for (const key of MESH_SHOWN) {
    const v = mesh[key];
    if (key === 'accessLogFile') lines.push(`  accessLogFile: ${v ? String(v) : '"" (access logging off)'}`);
    else if (key === 'outboundTrafficPolicy')
      lines.push(
        `  outboundTrafficPolicy.mode: ${String((v as { mode?: unknown } | undefined)?.mode ?? 'ALLOW_ANY')}`,
      );
    else if (key === 'discoverySelectors')
      lines.push(
        `  discoverySelectors: ${Array.isArray(v) && v.length ? JSON.stringify(v) : '(none: istiod watches every namespace)'}`,
      );
    else if (v !== undefined)
      lines.push(`  ${key}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  }
  return lines;
}

function changeLine(c: SpecChange): string {
  return `  ${c.path}: ${formatValue(c.before)} -> ${formatValue(c.after)}${c.note ? ` (${c.note})` : ''}`;
}

const GATEWAY_KINDS = [
  ['ingressGateway', 'ingressGateways'],
  ['egressGateway', 'egressGateways'],
] as const;

/** One line per component; a gateway list that names none (`egressGateways: []`) says so. */
function componentLines(components: readonly InstalledComponent[]): string[] {
  const lines = components
    .filter((x) => x.kind !== 'ingressGateway' && x.kind !== 'egressGateway')
    .map(componentLine);
  for (const [kind, key] of GATEWAY_KINDS) {
    const gws = components.filter((x) => x.kind === kind);
    if (gws.length) lines.push(...gws.map(componentLine));
    else lines.push(`✘ ${COMPONENT_TITLE[kind]}: not installed (components.${key} lists none)`);
  }
  return lines;
}

export async function runManifestGenerate(flags: {
  filename?: string[];
  set?: string[];
  output: string;
}): Promise<number> {
  const c = palette();
  const loaded: Loaded = flags.filename?.length
    ? await loadOperators(flags.filename)
    : { spec: {}, errors: [], warnings: [], sources: [] };
  const spec = applySets(loaded.spec, flags.set ?? []);
  if (flags.set?.length) {
    const check = readIstioOperator(spec);
    for (const issue of check.issues)
      if (
        ![...loaded.errors, ...loaded.warnings].some((e) => e.includes(formatPath(['spec', ...issue.path])))
      )
        (issue.dropped ? loaded.warnings : loaded.errors).push(
          `--set: ${formatPath(['spec', ...issue.path])}: ${issue.message}${suggestionHint(issue)}${issue.dropped ? DROPPED : ''}`,
        );
  }
  const profileSet = (flags.set ?? []).some((s) => /^(spec\.)?profile=/.test(s));
  const resolved = resolveOrFail(readIstioOperator(spec).spec, profileSet ? '--set' : loaded.profileAt);
  const base = resolveInstall({ profile: resolved.profile });
  const changes = diffSpecs(base.spec, resolved.spec).filter((ch) => ch.path !== 'profile');
  if (flags.output === 'yaml') {
    await write(manifestYaml(resolved));
  } else if (flags.output === 'json') {
    await write(
      `${JSON.stringify(
        {
          profile: resolved.profile,
          revision: resolved.revision,
          namespace: resolved.namespace,
          components: resolved.components,
          meshConfig: resolved.meshConfig,
          changes,
          errors: loaded.errors,
          warnings: loaded.warnings,
          objects: manifestObjects(resolved).map((o) => ({
            kind: o.kind,
            name: (o.metadata as { name: string }).name,
            namespace: (o.metadata as { namespace?: string }).namespace,
          })),
        },
        null,
        2,
      )}\n`,
    );
  } else {
    const lines: string[] = [];
    const from = loaded.sources.length ? loaded.sources.join(' + ') : 'no file';
    lines.push(
      c.bold(
        `Profile ${resolved.profile}, revision ${resolved.revision || 'default'}, namespace ${resolved.namespace} (${from})`,
      ),
    );
    for (const e of loaded.errors) lines.push(c.red(`Error: ${e}`));
    for (const w of loaded.warnings) lines.push(c.yellow(`Warning: ${w}`));
    lines.push('', 'Components:');
    for (const line of componentLines(resolved.components)) lines.push(`  ${line}`);
    lines.push('', 'Mesh config istiod would serve:', ...meshLines(resolved.meshConfig));
    lines.push(
      '',
      changes.length
        ? `Changed from profile ${resolved.profile}:`
        : `No change from profile ${resolved.profile}.`,
    );
    for (const ch of changes) lines.push(changeLine(ch));
    const installed = enabledComponents(resolved).length;
    lines.push(
      '',
      `${installed} component${installed === 1 ? '' : 's'} would be installed; -o yaml prints the objects.`,
    );
    await write(`${lines.join('\n')}\n`);
  }
  if (loaded.errors.length && flags.output !== 'text')
    process.stderr.write(`${loaded.errors.map((e) => `Error: ${e}`).join('\n')}\n`);
  return loaded.errors.length ? EXIT.fail : EXIT.ok;
}

export async function runProfileList(flags: { output: string }): Promise<number> {
  if (flags.output === 'json')
    await write(
      `${JSON.stringify(
        PROFILES.map((p) => ({ name: p.name, description: p.description })),
        null,
        2,
      )}\n`,
    );
  else
    await write(
      `Istio configuration profiles:\n${PROFILES.map((p) => `    ${p.name.padEnd(9)} ${p.description}`).join('\n')}\n`,
    );
  return EXIT.ok;
}

function profileOrUsage(name: string): Spec {
  if (!PROFILE_NAMES.includes(name))
    throw new UserError(`unknown profile "${name}"; the profiles are ${PROFILE_NAMES.join(', ')}`);
  return profileSpec(name);
}

export async function runProfileDump(
  name: string | undefined,
  flags: { filename?: string[]; output: string },
): Promise<number> {
  let spec: Spec;
  let errors: string[] = [];
  if (flags.filename?.length) {
    if (name) profileOrUsage(name);
    const loaded = await loadOperators(flags.filename);
    errors = loaded.errors;
    spec = resolveOrFail(name ? { ...loaded.spec, profile: name } : loaded.spec, loaded.profileAt).spec;
  } else spec = profileOrUsage(name ?? 'default');
  const doc = { apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator', spec };
  await write(flags.output === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : dump(doc, { lineWidth: -1 }));
  for (const e of errors) process.stderr.write(`Error: ${e}\n`);
  return errors.length ? EXIT.fail : EXIT.ok;
}

async function specOf(arg: string): Promise<Spec> {
  if (PROFILE_NAMES.includes(arg)) return profileSpec(arg);
  if (!/\.ya?ml$/i.test(arg) && !arg.includes('/') && !existsSync(arg))
    throw new UserError(
      `unknown profile "${arg}"; the profiles are ${PROFILE_NAMES.join(', ')} (or give an IstioOperator file)`,
    );
  const loaded = await loadOperators([arg]);
  if (loaded.errors.length) throw new UserError(loaded.errors[0] as string, EXIT.fail);
  return resolveOrFail(loaded.spec, loaded.profileAt).spec;
}

export async function runProfileDiff(a: string, b: string, flags: { output: string }): Promise<number> {
  const changes = diffSpecs(await specOf(a), await specOf(b));
  if (flags.output === 'json') await write(`${JSON.stringify(changes, null, 2)}\n`);
  else if (changes.length === 0) await write(`Profiles ${a} and ${b} are the same.\n`);
  else await write(`Differences from ${a} to ${b}:\n${changes.map(changeLine).join('\n')}\n`);
  return changes.length ? EXIT.fail : EXIT.ok;
}

export async function runTagList(paths: string[], flags: { output: string }): Promise<number> {
  const resources = await loadResources(paths);
  const tags = revisionTags(resources.filter((r) => r.kind === 'MutatingWebhookConfiguration'));
  const namespaces = resources.filter((r) => r.kind === 'Namespace');
  const rows = tags.map((t) => ({
    tag: t.tag,
    revision: t.revision,
    namespaces: namespaces.filter((n) => n.labels['istio.io/rev'] === t.tag).map((n) => n.name),
  }));
  if (flags.output === 'json') await write(`${JSON.stringify(rows, null, 2)}\n`);
  else if (rows.length === 0) await write('No Istio revision tag MutatingWebhookConfigurations to list\n');
  else {
    const w = [3, 8];
    for (const r of rows) {
      w[0] = Math.max(w[0] as number, r.tag.length);
      w[1] = Math.max(w[1] as number, r.revision.length);
    }
    const line = (x: string, y: string, z: string) =>
      `${x.padEnd((w[0] as number) + 1)}${y.padEnd((w[1] as number) + 1)}${z}`;
    await write(
      `${[line('TAG', 'REVISION', 'NAMESPACES'), ...rows.map((r) => line(r.tag, r.revision, r.namespaces.join(',')))].join('\n')}\n`,
    );
  }
  return EXIT.ok;
}
