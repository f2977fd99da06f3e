// Where an exam's lab tasks live: <workspace>/<NN>-<lab id> (a light module: the
// lab screens and `lab check` need it without loading the graders).
import { join } from 'node:path';
import type { ExamPlan } from './plan.ts';

/** Each lab task's workspace: <root>/<NN>-<lab id>. */
export function taskDir(root: string, plan: Pick<ExamPlan, 'tasks'>, index: number): string {
  const t = plan.tasks[index];
  return join(root, `${String(index + 1).padStart(2, '0')}-${t?.id ?? 'task'}`);
}
