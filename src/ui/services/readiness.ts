// Readiness over the core: the learner state and the content, read once.
import type { Readiness } from '../../core/exam/readiness.ts';
import { loadBank, loadLabs } from './content.ts';
import type { TuiEnv } from './env.ts';
import { readState } from './state.ts';

export async function readinessData(env: TuiEnv): Promise<Readiness & { notices: string[] }> {
  const [{ readiness }, { examsFrom }, { readLabsProgressFrom }] = await Promise.all([
    import('../../core/exam/readiness.ts'),
    import('../../core/progress/exams.ts'),
    import('../../core/progress/labs.ts'),
  ]);
  const [{ state, notices }, bank, labs] = await Promise.all([readState(env), loadBank(env), loadLabs(env)]);
  return {
    ...readiness({
      exams: examsFrom(state).history,
      labs: labs.exercises,
      topics: bank.topics,
      labProgress: readLabsProgressFrom(state),
      cards: state.quiz.cards,
    }),
    notices,
  };
}
