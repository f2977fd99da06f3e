// The mock exam: choose a length and start, then a countdown, the task list with
// status and flags, each task (a lab to solve in its folder: e edits it, r
// grades it now; or a question to answer), submit or abandon with confirmation,
// and the result per curriculum domain with each task to review (what was
// checked, what failed and why, the reference answer). Every step is saved to
// the same state as `ica-trainer exam`.
import { relative } from 'node:path';
import { Box, useApp } from 'ink';
import { createElement as h, type ReactElement, useEffect, useRef, useState } from 'react';
import { taskDir } from '../../core/exam/folders.ts';
import { coverageNote, roundPoints, taskPoints } from '../../core/exam/plan.ts';
import { formatRemaining, remainingMs } from '../../core/exam/session.ts';
import type { ActiveExam } from '../../core/progress/exams.ts';
import { Busy } from '../components/busy.ts';
import { ErrorText, Loading } from '../components/dialogs.ts';
import { Frame, useBodySize } from '../components/frame.ts';
import { LinesView, StyledLine } from '../components/styled.ts';
import { useAsync } from '../hooks/use-async.ts';
import { useKeys } from '../hooks/use-keys.ts';
import { useNav } from '../hooks/use-nav.ts';
import { useNotices } from '../hooks/use-notices.ts';
import { useStore } from '../hooks/use-store.ts';
import { errorText, useEnv } from '../services/env.ts';
import {
  abandonExam,
  EXAM_PRESETS,
  examContent,
  gradeExamTask,
  readActiveExam,
  saveExam,
  startExam,
  submitExam,
  taskReference,
} from '../services/exam.ts';
import { mainFile } from '../services/lab.ts';
import { whenSaved } from '../services/state.ts';
import { clampScroll, scrollToShow } from '../state/cursor.ts';
import { examScreenReducer, initialExamScreen } from '../state/exam.ts';
import { type Line, span, wrapText } from '../text/lines.ts';
import { examKeyNames, keyScope, onExamKey } from './exam-keys.ts';
import { reviewLines } from './exam-review.ts';
import { abandonDialog, ExamStart, submitDialog } from './exam-start.ts';
import { examTaskLines, outcomeTitle, resultLines, taskListLines } from './exam-view.ts';

const taskFolder = (exam: ActiveExam, index: number): string => taskDir(exam.workspace, exam.plan, index);

export function ExamScreen(): ReactElement {
  const env = useEnv();
  const nav = useNav();
  const notices = useNotices();
  const { suspendTerminal } = useApp();
  const { width, height } = useBodySize();
  const store = useStore(examScreenReducer, initialExamScreen);
  const { state: s, dispatch } = store;
  const [now, setNow] = useState(() => env.now().getTime());
  const [gradedAt, setGradedAt] = useState('');
  const content = useAsync(() => examContent(env), [env]);
  const autoSubmitted = useRef(false);
  const reviewed = s.review !== undefined ? s.result?.outcomes[s.review] : undefined;
  const reference = useAsync(
    async () => (reviewed ? taskReference(env, reviewed) : undefined),
    [env, reviewed?.kind, reviewed?.id],
  );

  useEffect(() => {
    let live = true;
    readActiveExam(env)
      .then((r) => {
        notices.add(r.notices);
        if (!live) return;
        setNow(env.now().getTime());
        dispatch(
          r.active
            ? { type: 'loaded', active: r.active }
            : { type: 'loaded', ...(r.last ? { last: r.last } : {}) },
        );
      })
      .catch(
        (e: unknown) =>
          live && dispatch({ type: 'message', text: `the exam state could not be read: ${errorText(e)}` }),
      );
    return () => {
      live = false;
    };
  }, [env, dispatch, notices]);

  useEffect(() => {
    const t = setInterval(() => setNow(env.now().getTime()), env.tickMs);
    return () => clearInterval(t);
  }, [env]);

  /** Applies an exam action and saves the session (writes one at a time, in order). */
  const act = (action: Parameters<typeof dispatch>[0]): void => {
    dispatch(action);
    const active = store.get().active;
    if (!active) return;
    // saves are queued in order (services/state.ts), so the last one wins
    void saveExam(env, active).then((problem) => {
      if (problem) dispatch({ type: 'message', text: problem });
    });
  };

  const submit = async (): Promise<void> => {
    const active = store.get().active;
    if (!active) return;
    dispatch({ type: 'submitting' });
    try {
      await whenSaved();
      dispatch({ type: 'result', result: await submitExam(env, active) });
    } catch (e) {
      dispatch({ type: 'message', text: `the exam could not be graded: ${errorText(e)}` });
    }
  };

  const abandon = async (): Promise<void> => {
    const active = store.get().active;
    if (!active) return;
    try {
      await whenSaved();
      await abandonExam(env);
      const folder = relative(env.cwd, active.workspace) || active.workspace;
      dispatch({
        type: 'abandoned',
        text: `Exam abandoned: nothing was scored; its folders stay in ${folder}.`,
      });
    } catch (e) {
      dispatch({ type: 'cancelAbandon' });
      dispatch({ type: 'message', text: `the exam could not be abandoned: ${errorText(e)}` });
    }
  };

  const start = async (): Promise<void> => {
    const preset = EXAM_PRESETS[store.get().presetCursor];
    if (!preset) return;
    dispatch({ type: 'submitting' });
    try {
      dispatch({
        type: 'started',
        active: await startExam(env, preset, Math.floor(env.random() * 1_000_000)),
      });
      setNow(env.now().getTime());
    } catch (e) {
      dispatch({ type: 'message', text: `the exam could not be started: ${errorText(e)}` });
    }
  };

  /** Grades the current lab task from its folder, on demand (nothing is recorded). */
  const gradeNow = async (): Promise<void> => {
    const active = store.get().active;
    if (active?.plan.tasks[active.current]?.kind !== 'lab') return;
    dispatch({ type: 'grading' });
    try {
      const grade = await gradeExamTask(env, active, active.current);
      setGradedAt(env.now().toISOString().slice(11, 19));
      dispatch({ type: 'taskGraded', grade });
      const task = active.plan.tasks[active.current];
      const points = task ? roundPoints(taskPoints(active.plan, task)) : 0;
      dispatch({
        type: 'message',
        text:
          grade.scored === false
            ? grade.detail
            : `Task ${active.current + 1}: ${Math.round(grade.score * points * 10) / 10} of ${points} points so far.`,
      });
    } catch (e) {
      dispatch({ type: 'message', text: `the task could not be graded: ${errorText(e)}` });
    }
  };

  /** The lab screens' editor flow: open the task's main file, then grade it. */
  const edit = async (): Promise<void> => {
    const active = store.get().active;
    const t = active?.plan.tasks[active.current];
    const lab = t?.kind === 'lab' && content.status === 'ok' ? content.value.labs.get(t.id) : undefined;
    if (!active || !lab) return;
    try {
      const file = await mainFile(lab, taskFolder(active, active.current));
      await suspendTerminal(() => env.openEditor(file));
      await gradeNow();
    } catch (e) {
      dispatch({ type: 'message', text: errorText(e) });
    }
  };

  const left = s.active ? remainingMs(s.active, now) : 0;
  useEffect(() => {
    if (s.phase === 'running' && s.active && left === 0 && !autoSubmitted.current) {
      autoSubmitted.current = true;
      void submit();
    }
  });

  // the rows on show
  const c = content.status === 'ok' ? content.value : undefined;
  const titleOf = (o: { kind: 'lab' | 'question'; id: string }) => outcomeTitle(c, o);
  const bodyHeight = Math.max(1, height - 1);
  let lines: Line[] = [];
  let offset = 0;
  let task: ReturnType<typeof examTaskLines> | undefined;
  if (s.phase === 'result' && s.result) {
    if (reviewed) {
      const t = s.resultPlan?.tasks[reviewed.index];
      const title = t?.title ?? titleOf(reviewed);
      const ref = reference.status === 'ok' ? reference.value : undefined;
      lines = reviewLines(
        reviewed,
        title,
        t && s.resultPlan ? roundPoints(taskPoints(s.resultPlan, t)) : 0,
        ref,
        width,
      );
      offset = clampScroll(s.scroll, lines.length, bodyHeight);
    } else {
      const r = resultLines(s.result, s.resultPlan, width, s.resultCursor, titleOf);
      lines = r.lines;
      const row = r.rowOf[s.resultCursor] ?? 0;
      // the header stays in view while it fits with the cursor
      offset =
        row < bodyHeight - 2 ? 0 : clampScroll(scrollToShow(0, row, bodyHeight), lines.length, bodyHeight);
    }
  } else if (s.phase === 'running' && s.active) {
    if (s.view === 'list') {
      const list = taskListLines(s.active, width);
      lines = [...wrapText(coverageNote(s.active.plan), width, 'muted'), [], ...list.lines];
      const row = (list.rowOf[s.active.current] ?? 0) + lines.length - list.lines.length;
      offset = clampScroll(row - Math.floor(bodyHeight / 2), lines.length, bodyHeight);
    } else {
      const folder =
        relative(env.cwd, taskFolder(s.active, s.active.current)) || taskFolder(s.active, s.active.current);
      const grade = s.taskGrade ? { outcome: s.taskGrade, at: gradedAt } : undefined;
      task = examTaskLines(s.active, c, { cursor: s.optionCursor, ticked: s.ticked }, folder, width, grade);
      lines = task.lines;
      offset =
        task.kind === 'lab'
          ? clampScroll(s.scroll, lines.length, bodyHeight)
          : clampScroll(scrollToShow(0, task.cursorRow, bodyHeight), lines.length, bodyHeight);
    }
  }
  const maxScroll = Math.max(0, lines.length - bodyHeight);
  const kind = task?.kind;
  const page = Math.max(1, bodyHeight - 1);

  useKeys(
    keyScope(s, kind),
    (a) =>
      onExamKey(a, store.get(), {
        dispatch,
        act,
        back: () => nav.back(),
        start,
        edit,
        gradeNow,
        kind,
        options: task?.options ?? 0,
        maxScroll,
        page,
      }),
    { rename: examKeyNames(s, kind) },
  );

  const title =
    s.phase === 'result'
      ? reviewed
        ? `Mock exam: review of task ${reviewed.index + 1}`
        : 'Mock exam: result'
      : 'Mock exam';
  const clock =
    s.phase === 'running' && s.active ? (left === 0 ? 'time is up' : `${formatRemaining(left)} left`) : '';
  const clockTone =
    s.phase === 'running' ? (left < 10 * 60_000 ? 'bad' : left < 30 * 60_000 ? 'warn' : 'accent') : undefined;
  const message: Line = s.message
    ? [span(s.message, 'warn')]
    : s.grading
      ? [span('grading the task…', 'muted')]
      : [];

  let body: ReactElement;
  if (s.phase === 'loading') body = h(Loading, { what: 'the exam' });
  else if (s.phase === 'submitting')
    body = h(Busy, { label: s.active ? 'Grading every task…' : 'Preparing the exam and its folders…' });
  else if (s.phase === 'start')
    body = h(ExamStart, {
      presets: EXAM_PRESETS,
      cursor: s.presetCursor,
      width,
      message: s.message,
      ...(s.last
        ? {
            last: `r reviews your last exam (${s.last.submittedAt.slice(0, 16).replace('T', ' ')}, ${s.last.score.percent}%): each task, what failed and the reference answer.`,
          }
        : {}),
    });
  else if (s.phase === 'running' && content.status === 'error') {
    body = h(ErrorText, { message: `the exam content could not be loaded: ${content.error}` });
  } else {
    body = h(
      Box,
      { flexDirection: 'column' },
      h(LinesView, { lines, offset, height: bodyHeight }),
      h(StyledLine, { line: message }),
    );
  }
  if (s.active && (s.confirmSubmit || s.confirmAbandon))
    body = s.confirmSubmit
      ? submitDialog(
          s.active,
          () => void submit(),
          () => dispatch({ type: 'cancelSubmit' }),
        )
      : abandonDialog(
          relative(env.cwd, s.active.workspace) || s.active.workspace,
          () => void abandon(),
          () => dispatch({ type: 'cancelAbandon' }),
        );
  return h(Frame, { title, status: clock, ...(clockTone ? { statusTone: clockTone } : {}) }, body);
}
