// Start-up settings for the terminal UI, applied before ink and React load.
//
// - React runs its production build unless NODE_ENV says otherwise (the
//   development build checks more and loads about twice as slowly).
// - ink imports `throttle` from the whole es-toolkit/compat barrel (hundreds of
//   modules); a resolve hook points that one import at es-toolkit's own throttle
//   module, which is the same function. Where module.registerHooks is missing
//   (Node < 22.15) nothing changes but the start-up time.
import { existsSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';

/** es-toolkit's own throttle module, beside its compat/throttle entry. */
export function throttleModule(compatThrottleUrl: string): string | undefined {
  const url = new URL('../dist/compat/function/throttle.mjs', compatThrottleUrl);
  return existsSync(fileURLToPath(url)) ? url.href : undefined;
}

let prepared = false;

/** Applies the settings; call the returned function once ink has loaded (the hook is then removed). */
export function prepareFastStart(env: NodeJS.ProcessEnv = process.env): () => void {
  const none = (): void => undefined;
  if (prepared) return none;
  prepared = true;
  env.NODE_ENV ||= 'production';
  const register = (module as { registerHooks?: typeof module.registerHooks }).registerHooks;
  if (typeof register !== 'function') return none;
  const hooks = register({
    resolve(specifier, context, nextResolve) {
      if (specifier === 'es-toolkit/compat' && context.parentURL?.includes('/ink/build/')) {
        try {
          const entry = nextResolve('es-toolkit/compat/throttle', context);
          const url = throttleModule(entry.url);
          if (url) return { ...entry, url };
        } catch {
          // fall through to the usual resolution
        }
      }
      return nextResolve(specifier, context);
    },
  });
  return () => hooks.deregister();
}
