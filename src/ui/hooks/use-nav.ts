// Moving between screens.
import { createContext, useContext } from 'react';
import type { Route } from '../state/nav.ts';

export interface Nav {
  push(route: Route): void;
  replace(route: Route): void;
  back(): void;
  home(): void;
}

export const NavContext = createContext<Nav>({
  push: () => undefined,
  replace: () => undefined,
  back: () => undefined,
  home: () => undefined,
});

export function useNav(): Nav {
  return useContext(NavContext);
}
