// Findings are made only here, from the catalog, so that wording lives in one place.
import { formatPath, resourceKey } from '../config/resource.ts';
import { CATALOG_DOCS } from './catalog/docs.ts';
import { CATALOG, type Code, type ParamsOf } from './catalog/index.ts';
import { MISTAKES } from './catalog/mistakes.ts';
import type { Finding, Site } from './finding.ts';

export function createFinding<C extends Code>(code: C, params: ParamsOf<C>, site: Site = {}): Finding {
  // Each entry's functions take that entry's params; the generic lookup loses that link.
  const entry = CATALOG[code] as unknown as {
    name: string;
    level: Finding['level'];
    message: (p: unknown) => string;
    explanation: string | ((p: unknown) => string);
    fix: string | ((p: unknown) => string);
    mistake?: keyof typeof MISTAKES | ((p: unknown) => keyof typeof MISTAKES | undefined);
    affectsTraffic?: (p: unknown) => boolean;
  };
  const text = (t: string | ((p: unknown) => string)) => (typeof t === 'function' ? t(params) : t);
  const mistakeId = typeof entry.mistake === 'function' ? entry.mistake(params) : entry.mistake;
  const finding: Finding = {
    code,
    name: entry.name,
    level: entry.level,
    message: entry.message(params),
    explanation: text(entry.explanation),
    fix: text(entry.fix),
    docs: CATALOG_DOCS[code],
  };
  if (mistakeId) finding.mistake = { ...MISTAKES[mistakeId] };
  if (entry.affectsTraffic && !entry.affectsTraffic(params)) finding.affectsTraffic = false;
  const r = site.resource;
  if (r) {
    finding.origin = resourceKey(r);
    finding.resource = { kind: r.kind, namespace: r.namespace, name: r.name };
  }
  if (site.path?.length) finding.path = formatPath(site.path);
  const pos = r && !r.origin.builtin ? r.locate(site.path ?? []) : undefined;
  const file = site.file ?? pos?.file;
  const line = site.line ?? pos?.line;
  const column = site.column ?? pos?.column;
  if (file !== undefined) finding.file = file;
  if (line !== undefined) finding.line = line;
  if (column !== undefined) finding.column = column;
  return finding;
}
