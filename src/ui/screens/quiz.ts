// The quiz: a question, options by arrows or numbers, Enter to submit, then the
// feedback with the explanation and the FSRS rating; a summary at the end.
// Every answer is saved as soon as it is graded.
import { useApp } from 'ink';
import { createElement as h, type ReactElement, useMemo } from 'react';
import type { Grade } from '../../core/content/quiz-grade.ts';
import type { Question } from '../../core/content/quiz-schema.ts';
import { RATING_NAMES } from '../../core/progress/state.ts';
import { Busy } from '../components/busy.ts';
import { ErrorText, Loading } from '../components/dialogs.ts';
import { Frame, useBodySize } from '../components/frame.ts';
import { LinesView, scrollNote } from '../components/styled.ts';
import { useAsync } from '../hooks/use-async.ts';
import { useKeys } from '../hooks/use-keys.ts';
import { useNav } from '../hooks/use-nav.ts';
import { useNotices } from '../hooks/use-notices.ts';
import { useStore } from '../hooks/use-store.ts';
import { editAnswer, editorCommand } from '../services/editor.ts';
import { errorText, useEnv } from '../services/env.ts';
import { gradeChoice, gradeYamlText, pickQuestions, rerateAnswer, saveAnswer } from '../services/quiz.ts';
import { clampScroll, scrollToShow } from '../state/cursor.ts';
import {
  chosenAnswer,
  currentItem,
  type QuizState,
  quizReducer,
  quizTotals,
  startQuiz,
} from '../state/quiz.ts';
import { type Line, span, wrapLine } from '../text/lines.ts';
import { feedbackLines, questionKind, questionLines, summaryLines } from './quiz-view.ts';

export function QuizScreen({
  mode,
  topic,
  limit,
}: {
  mode: 'learn' | 'review';
  topic?: string;
  limit?: number;
}): ReactElement {
  const env = useEnv();
  const notices = useNotices();
  const session = useAsync(async () => {
    const s = await pickQuestions(env, mode, limit, topic);
    notices.add(s.notices);
    return s;
  }, [env, mode, topic, limit]);
  const title = mode === 'review' ? 'Review' : 'Quiz';
  if (session.status === 'loading') return h(Frame, { title }, h(Loading, { what: 'questions' }));
  if (session.status === 'error')
    return h(
      Frame,
      { title },
      h(ErrorText, { message: `the questions could not be loaded: ${session.error}` }),
    );
  if (session.value.questions.length === 0)
    return h(Frame, { title }, h(ErrorText, { message: session.value.empty ?? 'Nothing to ask.' }));
  return h(QuizSession, { title, questions: session.value.questions });
}

function QuizSession({ title, questions }: { title: string; questions: Question[] }): ReactElement {
  const env = useEnv();
  const nav = useNav();
  const notices = useNotices();
  const { suspendTerminal } = useApp();
  const { width, height } = useBodySize();
  const byId = useMemo(() => new Map(questions.map((q) => [q.id, q])), [questions]);
  const store = useStore(
    quizReducer,
    (): QuizState =>
      startQuiz(
        questions.map((q) => ({ id: q.id, ...questionKind(q) })),
        env.now().getTime(),
      ),
  );
  const { state: s, dispatch } = store;
  const q = questions[s.index];
  const item = currentItem(s);
  const result = s.phase === 'feedback' ? s.results[s.results.length - 1] : undefined;

  const finish = async (question: Question, grade: Grade): Promise<void> => {
    const ms = Math.max(0, env.now().getTime() - store.get().shownAt);
    const saved = await saveAnswer(env, question, grade.correct, ms);
    notices.add(saved.notices);
    dispatch({
      type: 'graded',
      result: {
        id: question.id,
        correct: grade.correct,
        rating: saved.rating,
        ms,
        grade,
        at: saved.at,
        ...(saved.due ? { due: saved.due } : {}),
        ...(saved.unsaved ? { unsaved: saved.unsaved } : {}),
        ...(saved.before ? { before: saved.before } : {}),
      },
    });
  };

  /** The learner's rating of a right answer (1-4): re-saved at once. */
  const rate = async (index: number): Promise<void> => {
    const now = store.get();
    const last = now.results[now.results.length - 1];
    const rating = RATING_NAMES[index];
    if (now.phase !== 'feedback' || !last?.correct || !last.at || !rating || rating === last.rating) return;
    const unsaved = last.unsaved
      ? last.unsaved
      : await rerateAnswer(env, last.id, rating, last.at, last.before);
    dispatch({ type: 'rated', rating, ...(unsaved ? { unsaved } : {}) });
  };

  const submit = async (): Promise<void> => {
    const now = store.get();
    const question = questions[now.index];
    if (!question || now.phase !== 'asking') return;
    const chosen = chosenAnswer(now);
    if ('missing' in chosen) {
      dispatch({ type: 'message', text: chosen.missing });
      return;
    }
    dispatch({ type: 'grading' });
    try {
      await finish(question, await gradeChoice(question, chosen.answer));
    } catch (e) {
      dispatch({ type: 'failed', message: `could not grade: ${errorText(e)}` });
    }
  };

  const edit = async (): Promise<void> => {
    const now = store.get();
    const question = questions[now.index];
    if (question?.type !== 'yaml' || now.phase !== 'asking') return;
    try {
      const answer = await editAnswer(question, (file) => suspendTerminal(() => env.openEditor(file)));
      if (!answer) {
        dispatch({ type: 'message', text: 'Nothing was written: press e to open the editor again.' });
        return;
      }
      dispatch({ type: 'grading' });
      const grade = await gradeYamlText(question, answer.text, answer.file);
      const { yamlSyntaxErrors } = await import('../../core/content/quiz-grade.ts');
      const syntax = yamlSyntaxErrors(grade);
      if (syntax.length) dispatch({ type: 'syntax', errors: syntax });
      else await finish(question, grade);
    } catch (e) {
      dispatch({ type: 'failed', message: errorText(e) });
    }
  };

  // what is on screen, and how far it scrolls
  let lines: Line[];
  let offset: number;
  const bodyHeight = height - 1; // one row for the status line
  if (s.phase === 'summary') {
    lines = summaryLines(quizTotals(s), s.results, byId, width);
    offset = clampScroll(s.scroll, lines.length, bodyHeight);
  } else if (result && q) {
    lines = feedbackLines(q, result, width, env.now());
    offset = clampScroll(s.scroll, lines.length, bodyHeight);
  } else if (q) {
    const view = questionLines(q, s, width, editorCommand());
    lines = view.lines;
    offset = clampScroll(scrollToShow(0, view.cursorRow, bodyHeight), lines.length, bodyHeight);
  } else {
    lines = [];
    offset = 0;
  }
  const maxScroll = Math.max(0, lines.length - bodyHeight);

  const scope =
    s.phase === 'summary'
      ? (['select', 'up', 'down', 'pageUp', 'pageDown', 'back'] as const)
      : s.phase === 'feedback'
        ? result?.correct
          ? (['select', 'choose', 'up', 'down', 'pageUp', 'pageDown', 'back'] as const)
          : (['select', 'up', 'down', 'pageUp', 'pageDown', 'back'] as const)
        : item?.type === 'yaml'
          ? (['edit', 'back'] as const)
          : item?.type === 'multiple'
            ? (['up', 'down', 'choose', 'toggle', 'select', 'back'] as const)
            : (['up', 'down', 'choose', 'select', 'back'] as const);
  useKeys(
    scope,
    (a) => {
      const now = store.get();
      if (now.phase === 'grading') return undefined;
      if (a.name === 'back') {
        nav.back();
        return undefined;
      }
      if (now.phase !== 'asking') {
        if (a.name === 'choose') void rate(a.index);
        else if (a.name === 'select') {
          if (now.phase === 'summary') nav.back();
          else dispatch({ type: 'next', now: env.now().getTime() });
        } else if (a.name === 'up' || a.name === 'down')
          dispatch({ type: 'scroll', delta: a.name === 'up' ? -1 : 1, max: maxScroll });
        else if (a.name === 'pageUp' || a.name === 'pageDown')
          dispatch({
            type: 'scroll',
            delta: (a.name === 'pageUp' ? -1 : 1) * Math.max(1, bodyHeight - 1),
            max: maxScroll,
          });
        return undefined;
      }
      if (a.name === 'up' || a.name === 'down') dispatch({ type: 'move', delta: a.name === 'up' ? -1 : 1 });
      else if (a.name === 'choose') dispatch({ type: 'choose', index: a.index });
      else if (a.name === 'toggle') dispatch({ type: 'toggle' });
      else if (a.name === 'select') void submit();
      else if (a.name === 'edit') void edit();
      return undefined;
    },
    {
      rename: {
        select:
          s.phase === 'summary'
            ? 'done'
            : s.phase === 'feedback'
              ? s.index + 1 < s.items.length
                ? 'next question'
                : 'summary'
              : 'submit',
        back: 'leave quiz',
        edit: 'write answer',
        ...(s.phase !== 'asking' ? { up: 'scroll' } : {}),
        ...(s.phase === 'feedback' ? { choose: { keys: '1-4', does: 'how hard' } } : {}),
      },
    },
  );

  const totals = quizTotals(s);
  const status =
    s.phase === 'summary'
      ? `${totals.correct}/${totals.answered} right`
      : `question ${s.index + 1} of ${s.items.length} · ✓ ${totals.correct} ✗ ${totals.answered - totals.correct}`;
  const note = scrollNote(offset, bodyHeight, lines.length);
  const statusLine: Line = s.message ? [span(s.message, 'warn')] : [span(note, 'muted')];
  return h(
    Frame,
    { title: s.phase === 'summary' ? `${title}: summary` : title, status },
    h(LinesView, { lines, offset, height: bodyHeight }),
    s.phase === 'grading'
      ? h(Busy, { label: 'Grading…' })
      : h(LinesView, { lines: wrapLine(statusLine, width).slice(0, 1), height: 1 }),
  );
}
