// The question bank and the labs, loaded once per run (lazily: the first frame
// does not wait for zod and the YAML parser).
import type { ExerciseSet } from '../../core/content/exercise-loader.ts';
import type { QuizBank } from '../../core/content/quiz-loader.ts';
import type { TuiEnv } from './env.ts';

const banks = new Map<string, Promise<QuizBank>>();
const labSets = new Map<string, Promise<ExerciseSet>>();

export function loadBank(env: Pick<TuiEnv, 'quizDir'>): Promise<QuizBank> {
  const key = env.quizDir ?? '';
  let p = banks.get(key);
  if (!p) {
    p = import('../../core/content/quiz-loader.ts').then((m) =>
      env.quizDir ? m.loadQuizBank(env.quizDir) : m.loadQuizBank(),
    );
    banks.set(key, p);
    p.catch(() => banks.delete(key));
  }
  return p;
}

export function loadLabs(env: Pick<TuiEnv, 'exercisesDir'>): Promise<ExerciseSet> {
  const key = env.exercisesDir ?? '';
  let p = labSets.get(key);
  if (!p) {
    p = import('../../core/content/exercise-loader.ts').then((m) =>
      env.exercisesDir ? m.loadExercises(env.exercisesDir) : m.loadExercises(),
    );
    labSets.set(key, p);
    p.catch(() => labSets.delete(key));
  }
  return p;
}

/** Content problems as lines for the learner (`quizzes/x.yaml: questions[3].answer: Required`). */
export async function contentProblems(env: Pick<TuiEnv, 'quizDir' | 'exercisesDir'>): Promise<string[]> {
  const out: string[] = [];
  try {
    const { formatQuizProblem } = await import('../../core/content/quiz-loader.ts');
    for (const p of (await loadBank(env)).problems) out.push(`skipped a question: ${formatQuizProblem(p)}`);
  } catch (e) {
    out.push(`the question bank could not be loaded: ${(e as Error).message}`);
  }
  try {
    for (const p of (await loadLabs(env)).problems) out.push(`skipped a lab: ${p.path}: ${p.message}`);
  } catch (e) {
    out.push(`the labs could not be loaded: ${(e as Error).message}`);
  }
  return out;
}
