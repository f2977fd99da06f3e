// A yes/no question that holds the keys until answered, an error boundary that
// turns a screen's crash into a message, and the loading and error bodies.
import { Box, Text } from 'ink';
import { Component, type ErrorInfo, createElement as h, type ReactElement, type ReactNode } from 'react';
import { useKeys } from '../hooks/use-keys.ts';
import { Frame } from './frame.ts';
import { Toned } from './styled.ts';

export function Confirm({
  question,
  detail,
  onYes,
  onNo,
}: {
  question: string;
  detail?: string;
  onYes: () => void;
  onNo: () => void;
}): ReactElement {
  useKeys(
    ['yes', 'no'],
    (a) => {
      if (a.name === 'yes') onYes();
      else onNo();
    },
    { layer: 'modal' },
  );
  return h(
    Box,
    { flexDirection: 'column', borderStyle: 'round', paddingX: 1 },
    h(Toned, { tone: 'warn', bold: true, wrap: true }, question),
    detail ? h(Toned, { tone: 'muted', wrap: true }, detail) : null,
    h(Text, null, h(Text, { bold: true }, 'y'), ' yes   ', h(Text, { bold: true }, 'n'), ' no'),
  );
}

export function Loading({ what }: { what: string }): ReactElement {
  return h(Toned, { tone: 'muted' }, `Loading ${what}…`);
}

export function ErrorText({ message }: { message: string }): ReactElement {
  return h(Box, { flexDirection: 'column' }, h(Toned, { tone: 'bad', wrap: true }, `✗ ${message}`));
}

interface BoundaryState {
  error?: Error;
}

/**
 * A screen that throws while rendering shows this message instead of taking the
 * trainer down; q goes back (the app's keys still work).
 */
export class ErrorBoundary extends Component<{ children?: ReactNode; where: string }, BoundaryState> {
  override state: BoundaryState = {};

  static getDerivedStateFromError(error: unknown): BoundaryState {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(_error: Error, _info: ErrorInfo): void {
    // shown by render(); nothing to log to (the terminal belongs to the UI)
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return h(
      Frame,
      { title: 'ica-trainer' },
      h(Toned, { tone: 'bad', bold: true }, `✗ The ${this.props.where} screen ran into a problem:`),
      h(Toned, { tone: 'bad', wrap: true }, error.message || error.name),
      h(Toned, { tone: 'muted', wrap: true }, 'Press q to go back. Your progress up to here is saved.'),
    );
  }
}
