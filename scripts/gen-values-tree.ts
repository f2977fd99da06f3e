// Generates src/core/config/install/values-tree.ts from the field declarations of Istio
// 1.26's Values proto (scripts/values-proto/values_types-1.26.proto): for each message, the
// keys jsonpb accepts and what lies below each one. Run: node scripts/gen-values-tree.ts
// (`--check` exits 1 when the checked-in module differs, as the test does).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const PROTO_FILE = join(root, 'scripts/values-proto/values_types-1.26.proto');
export const TREE_FILE = join(root, 'src/core/config/install/values-tree.ts');

interface Field {
  name: string;
  type: string;
  repeated: boolean;
  map: boolean;
  jsonName?: string;
}

/** `// after 1.26: <field>; (1.27.0 change notes ...)`: a field newer Istio added, and when. */
const AFTER = /^\s*\/\/ after 1\.26: (.*;)\s+\((\d+\.\d+)\.\d+ change notes/;

/**
 * Messages and their fields. `// after 1.26:` lines are not fields; they go to `newer`
 * (Message.jsonName -> the release that added the field) so the error can say so.
 */
export function parseProto(text: string, newer = new Map<string, string>()): Map<string, Field[]> {
  const messages = new Map<string, Field[]>();
  let current: Field[] | undefined;
  let currentName = '';
  for (const raw of text.split('\n')) {
    const after = AFTER.exec(raw);
    if (after?.[1] && after[2] && current) {
      const f = fieldOf(after[1]);
      newer.set(`${currentName}.${f.jsonName ?? defaultJsonName(f.name)}`, after[2]);
      continue;
    }
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (!line) continue;
    const open = /^message (\w+) \{$/.exec(line);
    if (open?.[1]) {
      current = [];
      currentName = open[1];
      messages.set(open[1], current);
      continue;
    }
    if (line === '}') {
      current = undefined;
      continue;
    }
    if (current) current.push(fieldOf(line));
  }
  return messages;
}

function fieldOf(decl: string): Field {
  const m = /^(repeated )?(map<[\w.]+, *[\w.]+>|[\w.]+) (\w+) = \d+(?: +\[(.*)\])?;$/.exec(decl.trim());
  if (!m) throw new Error(`cannot read the field declaration: ${decl.trim()}`);
  const [, repeated, type = '', name = '', options = ''] = m;
  const json = /json_name = "([^"]+)"/.exec(options)?.[1];
  return {
    name,
    type,
    repeated: Boolean(repeated),
    map: type.startsWith('map<'),
    ...(json ? { jsonName: json } : {}),
  };
}

/** protoc's default JSON name: lowerCamelCase of the field name (psp_cluster_role -> pspClusterRole). */
export function defaultJsonName(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** What jsonpb reads below a field: another message of the file, anything, or a scalar. */
function shapeOf(f: Field, messages: Map<string, Field[]>): string {
  // IntOrString has its own UnmarshalJSON (value_types_json.go): a number or a string
  if (f.type === 'IntOrString') return 'scalar';
  // maps, Struct/Value/Any and the Kubernetes types take keys the Values proto does not list
  if (f.map || f.type.startsWith('google.protobuf.Struct') || f.type.startsWith('google.protobuf.Value'))
    return '*';
  if (f.type === 'google.protobuf.Any' || f.type.startsWith('k8s.io.')) return '*';
  if (messages.has(f.type)) return f.repeated ? `${f.type}[]` : f.type;
  return 'scalar'; // strings, numbers, bools, wrappers, Duration, enums
}

// written as biome formats it, so the checked-in module is the generator's output byte for byte
const quote = (s: string) => `'${s}'`;
const key = (s: string) => (/^[A-Za-z_$][\w$]*$/.test(s) ? s : quote(s));

export function generate(protoText: string): string {
  const newer = new Map<string, string>();
  const messages = parseProto(protoText, newer);
  const pin = protoText
    .split('\n')
    .filter((l) => l.startsWith('//') && !l.includes('Regenerate') && !l.includes('node scripts/'))
    .map((l) => l.replace(/^\/\/ ?/, ''))
    .filter((l, i, all) => !(l === '' && all[i - 1] === ''));
  // only the messages reachable from Values (the file also has PilotIngressConfig ...)
  const reachable = new Set<string>();
  const visit = (name: string) => {
    if (reachable.has(name)) return;
    reachable.add(name);
    for (const f of messages.get(name) ?? []) {
      const shape = shapeOf(f, messages).replace('[]', '');
      if (messages.has(shape)) visit(shape);
    }
  };
  visit('Values');
  const lines: string[] = [];
  const aliases: string[] = [];
  let keys = 0;
  for (const name of [...reachable].sort()) {
    const fields = messages.get(name) ?? [];
    lines.push(`  ${name}: {`);
    for (const f of fields) {
      const json = f.jsonName ?? defaultJsonName(f.name);
      lines.push(`    ${key(json)}: ${quote(shapeOf(f, messages))},`);
      if (json !== f.name) aliases.push(`  ${quote(`${name}.${f.name}`)}: ${quote(json)},`);
      keys++;
    }
    lines.push('  },');
  }
  return `// GENERATED by scripts/gen-values-tree.ts from scripts/values-proto/values_types-1.26.proto:
// do not edit; change the .proto file and run \`node scripts/gen-values-tree.ts\`.
//
${pin.map((l) => `// ${l}`.trimEnd()).join('\n')}

/**
 * A field's shape: the name of another message here (\`Name[]\` for a repeated one, whose
 * items are checked), \`*\` for anything (Struct, Value, maps, Kubernetes types), or \`scalar\`.
 */
export type ValuesShape = string;

/** The Values proto of Istio 1.26: for each message reachable from Values, its JSON keys. */
export const VALUES_MESSAGES: Record<string, Record<string, ValuesShape>> = {
${lines.join('\n')}
};

/** Proto field names that differ from the JSON name: jsonpb accepts either spelling. */
export const VALUES_PROTO_NAMES: Record<string, string> = {
${aliases.join('\n')}
};

/** Fields newer Istio added (not in 1.26): Message.jsonName -> the release that added them. */
export const VALUES_NEWER: Record<string, string> = {
${[...newer].map(([k, v]) => `  ${quote(k)}: ${quote(v)},`).join('\n')}
};

/** How many fields the messages above hold (${keys}). */
export const VALUES_FIELD_COUNT = ${keys};
`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = generate(readFileSync(PROTO_FILE, 'utf8'));
  if (process.argv.includes('--check')) {
    const same = readFileSync(TREE_FILE, 'utf8') === out;
    if (!same) console.error(`${TREE_FILE} is out of date: run node scripts/gen-values-tree.ts`);
    process.exit(same ? 0 : 1);
  }
  writeFileSync(TREE_FILE, out);
  console.log(`wrote ${TREE_FILE}`);
}
