// The schema of a lab's exercise.yaml. Content is data: every lab is validated at
// load time and a bad file is reported with its path and field.
import { z } from 'zod';

import { DOMAIN_NAMES } from './quiz-schema.ts';

export const exerciseSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lowercase words joined by "-"')
      .describe('unique id, also the folder name and the grader module name'),
    title: z.string().min(3).describe('short title shown in lists'),
    domain: z.enum(DOMAIN_NAMES).describe('ICA curriculum domain'),
    competency: z.string().min(3).describe('the curriculum competency the lab practises'),
    docs: z
      .string()
      .regex(/^https:\/\/istio\.io\//, 'must be an https://istio.io/ URL')
      .optional()
      .describe('the istio.io page that covers the lab (the real exam allows istio.io)'),
    difficulty: z.enum(['beginner', 'intermediate', 'advanced']),
    minutes: z.number().int().positive().describe('estimated minutes'),
    objective: z.string().min(10).describe('one paragraph: what the learner achieves'),
    criteria: z
      .array(
        z.strictObject({
          id: z.string().regex(/^[a-z0-9-]+$/),
          text: z.string().min(5).describe("what must be true, in the learner's words"),
        }),
      )
      .min(1)
      .describe('success criteria; each id has a check in the grader'),
    hints: z.array(z.string().min(5)).min(1).describe('ordered from gentle to explicit'),
    grader: z
      .string()
      .regex(/^[a-z0-9-]+$/)
      .describe('module graders/<grader>.ts'),
    modes: z.array(z.enum(['offline', 'live'])).min(1),
    /** files (relative to the workspace) that the learner is expected to edit */
    files: z.array(z.string()).optional(),
    /** the outbound traffic mode the lab's mesh runs with */
    outboundMode: z.enum(['ALLOW_ANY', 'REGISTRY_ONLY']).optional(),
    tags: z.array(z.string()).optional(),
    /**
     * the namespace the lab's YAML and grader name (the security labs' policies sit in
     * default, istio-system and legacy): `lab check --live` grades that namespace, and
     * refuses another -n, since the answer cannot be moved
     */
    namespace: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a Kubernetes namespace name')
      .optional(),
    /**
     * false: the lab needs more than a learner's namespace (mesh-wide policies, istio-system,
     * the plaintext client's namespace), so `cohort grade` leaves it out
     */
    cohort: z.boolean().optional(),
    /**
     * files whose objects `cluster up` already puts on the trainer's cluster (fix-custom-provider's
     * ext-authz sample and its mesh config providers): on a cluster the learner applies only the
     * other files (applying a mesh-config.yaml would replace the cluster's whole istio ConfigMap)
     */
    clusterProvides: z.array(z.string()).optional(),
    /**
     * how the learner puts the files on a cluster when it is not `kubectl apply`: `istioctl`
     * for an IstioOperator (`istioctl install -f FILE -y`; the API server has no such kind)
     */
    applyWith: z.enum(['kubectl', 'istioctl']).optional(),
    /**
     * why a lab without the live mode cannot be graded from a cluster: `lab check --live`
     * and `lab watch --live` say it instead of grading
     */
    offlineOnly: z.string().min(10).optional(),
    order: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('position within its topic (labs without one follow, by id)'),
  })
  .describe('exercise.yaml');

export type Exercise = z.infer<typeof exerciseSchema>;
