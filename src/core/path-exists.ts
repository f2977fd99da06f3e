// Whether something exists at a path (a file, folder or link to one): the stores use
// it to find a free name, the workspaces to skip what is not there. Any failure to
// stat (missing, unreadable parent) counts as not there, as every caller wants.
import { stat } from 'node:fs/promises';

export async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
