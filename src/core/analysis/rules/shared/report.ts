// Reporting a webhook check: the texts and the code (IST0106 for a rejection,
// IST0133 for a warning) come from the schema-checks table.
import type { FieldPath, Resource } from '../../../config/resource.ts';
import { type SchemaCheckId, type SchemaCheckParams, schemaFinding } from '../../catalog/schema-checks.ts';
import type { RuleContext } from '../../rule.ts';

export type Report = <K extends SchemaCheckId>(path: FieldPath, id: K, params: SchemaCheckParams<K>) => void;

/** A reporter for one resource; paths are relative to the object root (['spec', ...]). */
export function reporter(ctx: RuleContext, resource: Resource): Report {
  return (path, id, params) => {
    const f = schemaFinding(id, params);
    if (f.code === 'IST0106') ctx.report('IST0106', f.params, resource, path);
    else ctx.report('IST0133', f.params, resource, path);
  };
}

/** Non-empty arrays only (protobuf treats an empty list like an absent one). */
export function nonEmpty<T>(list: readonly T[] | undefined): list is readonly T[] {
  return list !== undefined && list.length > 0;
}
