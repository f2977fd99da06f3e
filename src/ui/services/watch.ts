// Watching a lab workspace for saves (fs.watch, recursive).
import { watch } from 'node:fs';
import type { WatchHandle } from './env.ts';

export function watchDir(
  dir: string,
  onChange: (file: string | undefined) => void,
  onError: (e: Error) => void,
): WatchHandle {
  const w = watch(dir, { recursive: true }, (_event, file) => onChange(file ? String(file) : undefined));
  w.on('error', onError);
  return w;
}
