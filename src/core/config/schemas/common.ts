// Building blocks shared by the Istio networking schemas (istio/api networking v1).
// Objects are strict: unknown fields are reported (with a "did you mean").
import { z } from 'zod';

export const int = z.number().int();
export const uint = z.number().int().nonnegative();
/** A Go/protobuf duration such as "3s" or "500ms"; checked in detail by the validation rules. */
export const duration = z.string().describe('a duration such as "3s" or "500ms"');
export const stringMap = z.record(z.string(), z.string());

export const stringMatch = z
  .strictObject({
    exact: z.string().optional(),
    prefix: z.string().optional(),
    regex: z.string().optional(),
  })
  .describe('exactly one of exact, prefix or regex');
export type StringMatch = z.infer<typeof stringMatch>;

export const portSelector = z.strictObject({ number: uint.optional() });

export const destination = z.strictObject({
  host: z.string().optional(),
  subset: z.string().optional(),
  port: portSelector.optional(),
});
export type Destination = z.infer<typeof destination>;

export const percent = z.strictObject({ value: z.number().optional() });

export const workloadSelector = z.strictObject({ matchLabels: stringMap.optional() });
