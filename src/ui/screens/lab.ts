// A lab: the task, the workspace, live grading on every save, hints, the
// solution behind a confirmation, and the simulator's picture of the traffic.
import { relative } from 'node:path';
import { Box, Text, useApp } from 'ink';
import { createElement as h, type ReactElement, useState } from 'react';
import { lockedText } from '../../core/exam/lock.ts';
import { Busy } from '../components/busy.ts';
import { Confirm, ErrorText, Loading } from '../components/dialogs.ts';
import { Frame, useBodySize } from '../components/frame.ts';
import { LinesView, StyledLine, scrollNote } from '../components/styled.ts';
import { useAsync } from '../hooks/use-async.ts';
import { useKeys } from '../hooks/use-keys.ts';
import { type GradeSource, useLabGrader } from '../hooks/use-lab-grader.ts';
import { useNav } from '../hooks/use-nav.ts';
import { useNotices } from '../hooks/use-notices.ts';
import { useStore } from '../hooks/use-store.ts';
import { errorText, useEnv } from '../services/env.ts';
import { mainFile, type OpenedLab, openLab, readSolution, recordLab } from '../services/lab.ts';
import { initialLabView, LAB_PANES, type LabPane, labReducer } from '../state/lab.ts';
import { type Line, span, truncate, wrapText } from '../text/lines.ts';
import { useTheme } from '../theme.ts';
import { gradeLines, hintLines, taskLines, trafficLines, verdictText } from './lab-view.ts';

export function LabScreen({ id }: { id: string }): ReactElement {
  const env = useEnv();
  const notices = useNotices();
  const opened = useAsync(async () => {
    const o = await openLab(env, id);
    notices.add(o.notices);
    return o;
  }, [env, id]);
  if (opened.status === 'loading') return h(Frame, { title: `Lab ${id}` }, h(Loading, { what: `lab ${id}` }));
  if (opened.status === 'error')
    return h(
      Frame,
      { title: `Lab ${id}` },
      h(ErrorText, { message: `lab ${id} could not be opened: ${opened.error}` }),
    );
  return h(LabSession, { opened: opened.value });
}

const PANE_TITLES: Record<LabPane, string> = {
  task: 'Task',
  grade: 'Grade',
  traffic: 'Traffic',
  hints: 'Hints',
};

function Tabs({ pane, width }: { pane: LabPane; width: number }): ReactElement {
  const theme = useTheme();
  const accent = theme.style('accent');
  return h(
    Text,
    { wrap: 'truncate-end' },
    ...LAB_PANES.map((p) =>
      h(
        Text,
        {
          key: p,
          bold: p === pane,
          inverse: p === pane,
          ...(p === pane && accent.color ? { color: accent.color } : {}),
        },
        ` ${PANE_TITLES[p]} `,
      ),
    ),
    h(Text, { dimColor: true }, truncate('  Tab switches', Math.max(0, width - 36))),
  );
}

function LabSession({ opened }: { opened: OpenedLab }): ReactElement {
  const env = useEnv();
  const nav = useNav();
  const notices = useNotices();
  const { suspendTerminal } = useApp();
  const { width, height } = useBodySize();
  const { lab, dir } = opened;
  const store = useStore(labReducer, () => ({
    ...initialLabView(),
    hintsShown: opened.progress?.hintsUsed ?? 0,
  }));
  const { state: s, dispatch } = store;
  const [source, setSource] = useState<GradeSource>('files');
  const [cluster, setCluster] = useState<string | undefined>(undefined);
  const [noCluster, setNoCluster] = useState<string | undefined>(undefined);

  const grader = useLabGrader(
    env,
    lab,
    dir,
    {
      connected: (label) => {
        setNoCluster(undefined);
        setCluster(label);
      },
      unavailable: (message, detail) => {
        setNoCluster(message);
        dispatch({ type: 'gradeFailed', message: `${message} (${detail})` });
      },
      grading: () => dispatch({ type: 'grading' }),
      graded: (grade, cause) => {
        dispatch({ type: 'graded', grade, cause });
        if (cause === 'open') return;
        void recordLab(env, lab.id, grade.result.pass ? 'pass' : 'fail').then((r) => {
          notices.add(r.notices);
          if (r.unsaved) dispatch({ type: 'message', text: `progress not saved: ${r.unsaved}` });
        });
      },
      failed: (message) => dispatch({ type: 'gradeFailed', message }),
    },
    source,
  );

  const paneHeight = Math.max(1, height - 3);
  const locked = opened.lock ? lockedText(lab.id, opened.lock, 'hints and solution') : undefined;
  const lines: Line[] =
    s.pane === 'task'
      ? taskLines(lab, width)
      : s.pane === 'grade'
        ? gradeLines(s, width, dir)
        : s.pane === 'traffic'
          ? trafficLines(s.grade?.traffic, s.grading, width)
          : locked
            ? wrapText(`${locked[0]?.toUpperCase()}${locked.slice(1)}.`, width, 'warn')
            : hintLines(lab, s, width);
  const maxScroll = Math.max(0, lines.length - paneHeight);
  const offset = Math.min(s.scroll[s.pane], maxScroll);

  const hint = (): void => {
    const before = store.get().hintsShown;
    dispatch({ type: 'hint', total: lab.hints.length });
    if (before < lab.hints.length)
      void recordLab(env, lab.id, 'hint').then((r) => {
        if (r.unsaved) dispatch({ type: 'message', text: `progress not saved: ${r.unsaved}` });
      });
  };
  const reveal = async (): Promise<void> => {
    try {
      const files = await readSolution(lab);
      dispatch({ type: 'solution', files });
      const r = await recordLab(env, lab.id, 'reveal');
      if (r.unsaved) dispatch({ type: 'message', text: `progress not saved: ${r.unsaved}` });
    } catch (e) {
      dispatch({ type: 'cancelSolution' });
      dispatch({ type: 'message', text: `the solution could not be read: ${errorText(e)}` });
    }
  };
  const edit = async (): Promise<void> => {
    try {
      const file = await mainFile(lab, dir);
      await suspendTerminal(() => env.openEditor(file));
      grader.regrade();
    } catch (e) {
      dispatch({ type: 'message', text: errorText(e) });
    }
  };

  useKeys(
    [
      'nextPane',
      'prevPane',
      'up',
      'down',
      'pageUp',
      'pageDown',
      'hint',
      'solution',
      'edit',
      'regrade',
      'source',
      'back',
    ],
    (a) => {
      const page = Math.max(1, paneHeight - 1);
      switch (a.name) {
        case 'nextPane':
        case 'prevPane':
          dispatch({ type: 'pane', delta: a.name === 'nextPane' ? 1 : -1 });
          break;
        case 'up':
        case 'down':
          dispatch({ type: 'scroll', delta: a.name === 'up' ? -1 : 1, max: maxScroll });
          break;
        case 'pageUp':
        case 'pageDown':
          dispatch({ type: 'scroll', delta: a.name === 'pageUp' ? -page : page, max: maxScroll });
          break;
        case 'hint':
        case 'solution':
          if (opened.lock) {
            dispatch({ type: 'showPane', pane: 'hints' });
            dispatch({
              type: 'message',
              text: `${a.name === 'hint' ? 'Hints' : 'Solution'} locked until the exam ends (this lab is exam task ${opened.lock.tasks.join(', ')}).`,
            });
          } else if (a.name === 'hint') hint();
          else if (store.get().solution) dispatch({ type: 'showPane', pane: 'hints' });
          else dispatch({ type: 'askSolution' });
          break;
        case 'edit':
          void edit();
          break;
        case 'regrade':
          grader.regrade();
          break;
        case 'source':
          setCluster(undefined);
          setNoCluster(undefined);
          setCluster(undefined);
          setSource((x) => (x === 'files' ? 'cluster' : 'files'));
          break;
        case 'back':
          nav.back();
          break;
      }
      return undefined;
    },
    { rename: { up: 'scroll', regrade: 'grade', edit: 'edit file', back: 'leave lab' } },
  );

  const verdict = verdictText(s.grade);
  const shownDir = relative(env.cwd, dir) || dir;
  const created = opened.created.length ? `  created ${opened.created.join(', ')}` : '';
  const workspace: Line =
    source === 'cluster'
      ? [
          span('Cluster ', 'muted'),
          noCluster
            ? span('not connected', 'bad', { bold: true })
            : span(cluster ?? 'connecting…', undefined, { bold: true }),
          span(
            noCluster ? '  l: back to the files' : '  graded on every apply; l: back to the files',
            'muted',
          ),
        ]
      : [
          span('Workspace ', 'muted'),
          span(shownDir, undefined, { bold: true }),
          span(s.lastChange ? `  ${s.lastChange}` : created, 'muted'),
        ];
  const time = s.grade ? `graded ${s.grade.at.slice(11, 19)}` : '';
  const statusLine: Line = s.message
    ? [span(s.message, s.message.startsWith('✓') ? 'good' : 'warn', { bold: true })]
    : source === 'cluster' && noCluster
      ? [span(noCluster, 'bad')]
      : s.gradeError && s.pane !== 'grade'
        ? [span(s.gradeError, 'bad')]
        : [
            span(time, 'muted'),
            span(
              scrollNote(offset, paneHeight, lines.length)
                ? `  ${scrollNote(offset, paneHeight, lines.length)}`
                : '',
              'muted',
            ),
          ];
  return h(
    Frame,
    { title: lab.title, status: verdict.text, statusTone: verdict.tone },
    h(StyledLine, { line: workspace }),
    h(Tabs, { pane: s.pane, width }),
    s.confirmSolution
      ? h(
          Box,
          { height: paneHeight, flexDirection: 'column' },
          h(Confirm, {
            question: 'Show the reference solution?',
            detail: 'The lab will be marked as revealed (passing it later still counts as passed).',
            onYes: () => void reveal(),
            onNo: () => dispatch({ type: 'cancelSolution' }),
          }),
        )
      : h(LinesView, { lines, offset, height: paneHeight }),
    h(
      Box,
      { height: 1 },
      s.grading ? h(Busy, { label: 'grading  ' }) : null,
      h(StyledLine, { line: statusLine }),
    ),
  );
}
