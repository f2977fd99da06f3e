// Which screen is showing: a stack of routes (pure reducer, DESIGN convention 9).
export type Route =
  | { name: 'home' }
  | { name: 'quiz'; mode: 'learn' | 'review'; topic?: string; limit?: number }
  | { name: 'labs' }
  | { name: 'lab'; id: string }
  | { name: 'exam' }
  | { name: 'progress' }
  | { name: 'readiness' }
  | { name: 'cluster' }
  | { name: 'help' };

export interface NavState {
  stack: Route[];
  /** set when back was pressed on the first screen: the app should quit */
  quit: boolean;
}

export type NavAction =
  | { type: 'push'; route: Route }
  | { type: 'replace'; route: Route }
  | { type: 'back' }
  | { type: 'home' };

export function initialNav(route: Route = { name: 'home' }): NavState {
  return { stack: route.name === 'home' ? [route] : [{ name: 'home' }, route], quit: false };
}

export function navReducer(s: NavState, a: NavAction): NavState {
  switch (a.type) {
    case 'push': {
      const top = s.stack[s.stack.length - 1];
      // help over help, or the same screen twice, is one screen
      if (top && JSON.stringify(top) === JSON.stringify(a.route)) return s;
      return { ...s, stack: [...s.stack, a.route] };
    }
    case 'replace':
      return { ...s, stack: [...s.stack.slice(0, -1), a.route] };
    case 'back':
      return s.stack.length <= 1 ? { ...s, quit: true } : { ...s, stack: s.stack.slice(0, -1) };
    case 'home':
      return { ...s, stack: s.stack.slice(0, 1) };
  }
}

export function currentRoute(s: NavState): Route {
  return s.stack[s.stack.length - 1] ?? { name: 'home' };
}

/** A stable key for a route (remounts the screen and its error boundary when it changes). */
export function routeKey(r: Route): string {
  return JSON.stringify(r);
}
