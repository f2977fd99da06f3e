// The trainer's root: contexts (environment, theme, keys, notices, navigation),
// the key router, and the screen for the current route. Screens other than home
// load on first use, so the first frame only waits for ink, React and home.
import { useApp, useInput } from 'ink';
import {
  type ComponentType,
  createElement as h,
  lazy,
  type ReactElement,
  Suspense,
  useEffect,
  useMemo,
  useReducer,
} from 'react';
import { ErrorBoundary, Loading } from './components/dialogs.ts';
import { Frame } from './components/frame.ts';
import { KeysContext, useKeys } from './hooks/use-keys.ts';
import { type Nav, NavContext } from './hooks/use-nav.ts';
import { NoticesContext, useNoticeList } from './hooks/use-notices.ts';
import { MemoryContext } from './hooks/use-remembered.ts';
import { createKeyRegistry, type KeyRegistry } from './key-registry.ts';
import { HomeScreen } from './screens/home.ts';
import { EnvContext, type TuiEnv } from './services/env.ts';
import { currentRoute, initialNav, navReducer, type Route, routeKey } from './state/nav.ts';
import { type Theme, ThemeContext } from './theme.ts';

const QuizScreen = lazy(() => import('./screens/quiz.ts').then((m) => ({ default: m.QuizScreen })));
const LabsScreen = lazy(() => import('./screens/labs.ts').then((m) => ({ default: m.LabsScreen })));
const LabScreen = lazy(() => import('./screens/lab.ts').then((m) => ({ default: m.LabScreen })));
const ExamScreen = lazy(() => import('./screens/exam.ts').then((m) => ({ default: m.ExamScreen })));
const ProgressScreen = lazy(() =>
  import('./screens/progress.ts').then((m) => ({ default: m.ProgressScreen })),
);
const ReadinessScreen = lazy(() =>
  import('./screens/readiness.ts').then((m) => ({ default: m.ReadinessScreen })),
);
const ClusterScreen = lazy(() => import('./screens/cluster.ts').then((m) => ({ default: m.ClusterScreen })));
const HelpScreen = lazy(() => import('./screens/help.ts').then((m) => ({ default: m.HelpScreen })));

export interface AppProps {
  env: TuiEnv;
  theme: Theme;
  /** the first screen (home unless the exam entry point opens the exam) */
  initial?: Route;
  /** notices known before the first frame */
  notices?: readonly string[];
  /** a registry supplied by tests; one is made otherwise */
  keys?: KeyRegistry;
}

export function App({ env, theme, initial, notices, keys }: AppProps): ReactElement {
  const registry = useMemo(() => keys ?? createKeyRegistry(), [keys]);
  const memory = useMemo(() => new Map<string, unknown>(), []);
  return h(
    MemoryContext.Provider,
    { value: memory },
    h(
      EnvContext.Provider,
      { value: env },
      h(
        ThemeContext.Provider,
        { value: theme },
        h(
          KeysContext.Provider,
          { value: registry },
          h(Router, { initial, notices: notices ?? [], registry }),
        ),
      ),
    ),
  );
}

function Router({
  initial,
  notices: initialNotices,
  registry,
}: {
  initial: Route | undefined;
  notices: readonly string[];
  registry: KeyRegistry;
}): ReactElement {
  const [nav, dispatch] = useReducer(navReducer, initial, initialNav);
  const notices = useNoticeList(initialNotices);
  const { exit } = useApp();
  useInput((input, key) => {
    // several characters in one read (fast typing, key repeat): one press each
    if (input.length > 1 && !key.ctrl && !key.meta && /^[\x20-\x7e]+$/.test(input)) {
      for (const ch of input) registry.dispatch(ch, {});
      return;
    }
    registry.dispatch(input, key);
  });
  const api = useMemo<Nav>(
    () => ({
      push: (route) => dispatch({ type: 'push', route }),
      replace: (route) => dispatch({ type: 'replace', route }),
      back: () => dispatch({ type: 'back' }),
      home: () => dispatch({ type: 'home' }),
    }),
    [],
  );
  useKeys(
    ['help', 'back'],
    (a) => {
      if (a.name === 'help') api.push({ name: 'help' });
      else api.back();
    },
    { layer: 'global' },
  );
  useEffect(() => {
    if (nav.quit) exit();
  }, [nav.quit, exit]);
  const route = currentRoute(nav);
  return h(
    NavContext.Provider,
    { value: api },
    h(
      NoticesContext.Provider,
      { value: notices },
      h(
        ErrorBoundary,
        { key: routeKey(route), where: route.name },
        h(
          Suspense,
          { fallback: h(Frame, { title: 'ica-trainer' }, h(Loading, { what: route.name })) },
          screen(route),
        ),
      ),
    ),
  );
}

function screen(route: Route): ReactElement {
  switch (route.name) {
    case 'home':
      return h(HomeScreen);
    case 'quiz':
      return h(QuizScreen, {
        mode: route.mode,
        ...(route.topic ? { topic: route.topic } : {}),
        ...(route.limit ? { limit: route.limit } : {}),
      });
    case 'labs':
      return h(LabsScreen);
    case 'lab':
      return h(LabScreen, { id: route.id });
    case 'exam':
      return h(ExamScreen);
    case 'progress':
      return h(ProgressScreen);
    case 'readiness':
      return h(ReadinessScreen);
    case 'cluster':
      return h(ClusterScreen);
    case 'help':
      return h(HelpScreen as ComponentType);
  }
}
