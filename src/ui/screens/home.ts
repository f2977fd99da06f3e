// Home: progress at a glance (a bar per curriculum domain, reviews due, labs
// passed, streak) and the way into everything else.
import { Box, Text } from 'ink';
import { createElement as h, type ReactElement } from 'react';
import { Bar } from '../components/bar.ts';
import { Frame, useBodySize } from '../components/frame.ts';
import { Menu, type MenuItem } from '../components/menu.ts';
import { Toned } from '../components/styled.ts';
import { useAsync } from '../hooks/use-async.ts';
import { useKeys } from '../hooks/use-keys.ts';
import { useNav } from '../hooks/use-nav.ts';
import { useNotices } from '../hooks/use-notices.ts';
import { useRemembered } from '../hooks/use-remembered.ts';
import { clusterInfo } from '../services/cluster.ts';
import { useEnv } from '../services/env.ts';
import { type HomeSummary, homeSummary } from '../services/summary.ts';
import { moveCursor } from '../state/cursor.ts';
import type { Route } from '../state/nav.ts';
import { truncate } from '../text/lines.ts';

interface Entry {
  key: string;
  label: string;
  route: Route;
  detail: (s: HomeSummary | undefined, cluster: string) => string;
}

const ENTRIES: readonly Entry[] = [
  {
    key: 'quiz',
    label: 'Quiz',
    route: { name: 'quiz', mode: 'learn' },
    detail: () => 'due reviews first, then new questions, 10 at a time',
  },
  {
    key: 'review',
    label: 'Review',
    route: { name: 'quiz', mode: 'review' },
    detail: (s) => (s ? `only questions due for review (${s.due} due now)` : 'only questions due for review'),
  },
  {
    key: 'labs',
    label: 'Labs',
    route: { name: 'labs' },
    detail: (s) =>
      s
        ? `hands-on Bookinfo labs, graded on every save (${s.labsPassed}/${s.labsTotal} passed)`
        : 'hands-on Bookinfo labs, graded on every save',
  },
  {
    key: 'exam',
    label: 'Mock exam',
    route: { name: 'exam' },
    detail: (s) =>
      s?.activeExam ? 'an exam is in progress: continue it' : 'timed tasks, scored by curriculum domain',
  },
  {
    key: 'progress',
    label: 'Progress',
    route: { name: 'progress' },
    detail: () => 'per domain, labs and exam history',
  },
  { key: 'cluster', label: 'Cluster', route: { name: 'cluster' }, detail: (_s, cluster) => cluster },
  { key: 'help', label: 'Help', route: { name: 'help' }, detail: () => 'keys, and how the trainer works' },
];

export function HomeScreen(): ReactElement {
  const env = useEnv();
  const nav = useNav();
  const notices = useNotices();
  const [cursor, setCursor] = useRemembered('home.cursor', 0);
  // the last summary shown: coming back home shows it at once while it refreshes
  const [lastSummary, setLastSummary] = useRemembered<HomeSummary | undefined>('home.summary', undefined);
  const summary = useAsync(async () => {
    const s = await homeSummary(env);
    notices.add(s.notices);
    setLastSummary(s);
    return s;
  }, [env]);
  const cluster = useAsync(() => clusterInfo(env), [env]);
  const s = summary.status === 'ok' ? summary.value : lastSummary;
  const clusterText =
    cluster.status === 'ok'
      ? cluster.value
        ? `kind context ${cluster.value.context} (live mode available)`
        : 'offline: labs are graded with the simulator'
      : cluster.status === 'error'
        ? `offline (${cluster.error})`
        : 'offline';

  const open = (i: number): void => {
    const e = ENTRIES[i];
    if (e) nav.push(e.route);
  };
  useKeys(
    ['up', 'down', 'first', 'last', 'select', 'choose', 'back'],
    (a) => {
      if (a.name === 'first') setCursor(0);
      else if (a.name === 'last') setCursor(ENTRIES.length - 1);
      else if (a.name === 'up' || a.name === 'down')
        setCursor((c) => moveCursor(c, a.name === 'up' ? -1 : 1, ENTRIES.length));
      else if (a.name === 'select') open(cursor);
      else if (a.name === 'choose') {
        if (a.index >= ENTRIES.length) return false;
        setCursor(a.index);
        open(a.index);
      } else if (a.name === 'back') return false; // the app quits
      return undefined;
    },
    { rename: { back: 'quit', select: 'open' } },
  );

  const items: MenuItem[] = ENTRIES.map((e) => ({
    key: e.key,
    label: e.label,
    detail: e.detail(s, clusterText),
  }));
  return h(
    Frame,
    {
      title: 'ica-trainer · Istio Certified Associate trainer',
      status: s?.activeExam ? 'exam in progress' : '',
    },
    h(Glance, { summary: s, error: summary.status === 'error' ? summary.error : undefined }),
    h(Box, { marginTop: 1 }, h(MenuWithWidth, { items, cursor })),
  );
}

function MenuWithWidth({ items, cursor }: { items: MenuItem[]; cursor: number }): ReactElement {
  const { width } = useBodySize();
  return h(Menu, { items, cursor, width, labelWidth: 10 });
}

function Glance({
  summary,
  error,
}: {
  summary: HomeSummary | undefined;
  error: string | undefined;
}): ReactElement {
  const { width } = useBodySize();
  if (!summary) {
    return h(
      Box,
      { flexDirection: 'column' },
      h(Toned, { tone: 'muted' }, error ? `Progress could not be read: ${error}` : 'Loading your progress…'),
    );
  }
  // the same counts as the Progress screen, labelled: questions seen and labs passed
  const figuresOf = (d: HomeSummary['domains'][number], accuracy: boolean): string =>
    d.questions + d.labs === 0
      ? 'no content yet'
      : `${d.seen}/${d.questions} seen · ${d.labs ? `${d.labsPassed}/${d.labs} labs` : 'no labs'}${accuracy && d.accuracy !== null ? ` · ${Math.round(d.accuracy * 100)}% right` : ''}`;
  const figureWidth = (accuracy: boolean) =>
    Math.max(...summary.domains.map((d) => figuresOf(d, accuracy).length));
  const longest = Math.max(...summary.domains.map((d) => d.domain.length));
  // 2 indent, 1+4 weight, 1 before and after the bar; domain names get what is left after a short bar
  const withAccuracy = width - (2 + longest + 6 + 8 + 1) >= figureWidth(true);
  const figures = figureWidth(withAccuracy);
  const nameWidth = Math.max(12, Math.min(longest, width - (2 + 6 + 8 + 1) - figures));
  const barWidth = Math.max(4, Math.min(24, width - (2 + nameWidth + 6 + 1) - figures));
  return h(
    Box,
    { flexDirection: 'column' },
    h(Toned, { tone: 'accent', bold: true }, 'Progress by curriculum domain'),
    ...summary.domains.map((d) => {
      const total = d.questions + d.labs;
      const done = d.seen + d.labsPassed;
      const name = truncate(d.domain, nameWidth).padEnd(nameWidth);
      const weight = `${d.weight}%`.padStart(4);
      return h(
        Text,
        { key: d.domain, wrap: 'truncate-end' },
        `  ${name} ${weight} `,
        h(Bar, { fraction: total ? done / total : 0, width: barWidth, tone: total ? 'good' : 'muted' }),
        h(Text, { dimColor: total === 0 }, ` ${figuresOf(d, withAccuracy)}`),
      );
    }),
    h(
      Text,
      { wrap: 'truncate-end' },
      '  ',
      h(Text, { bold: true }, `${summary.due}`),
      ` review${summary.due === 1 ? '' : 's'} due · labs passed `,
      h(Text, { bold: true }, `${summary.labsPassed}/${summary.labsTotal}`),
      ' · streak ',
      h(Text, { bold: true }, `${summary.streak} day${summary.streak === 1 ? '' : 's'}`),
      ` · ${summary.answered}/${summary.questions} questions seen`,
    ),
  );
}
