// Start-up settings for the terminal UI, applied before ink and React load.
//
// - React runs its production build unless NODE_ENV says otherwise (the
//   development build checks more and loads about twice as slowly).
// - ink imports `throttle` from the whole es-toolkit/compat barrel (hundreds of
//   modules); a resolve hook points that one import at es-toolkit's own throttle
//   module, which is the same function. Where module.registerHooks is missing
//   (Node < 22.15) nothing changes but the start-up time.
import module from 'node:module';

let prepared = false;

export function prepareFastStart(env: NodeJS.ProcessEnv = process.env): void {
  if (prepared) return;
  prepared = true;
  env.NODE_ENV ??= 'production';
  const register = (module as { registerHooks?: typeof module.registerHooks }).registerHooks;
  if (typeof register !== 'function') return;
  register({
    resolve(specifier, context, nextResolve) {
      if (specifier === 'es-toolkit/compat' && context.parentURL?.includes('/ink/build/')) {
        try {
          const barrel = nextResolve('es-toolkit/compat/throttle', context);
          return { ...barrel, url: new URL('../dist/compat/function/throttle.mjs', barrel.url).href };
        } catch {
          // fall through to the usual resolution
        }
      }
      return nextResolve(specifier, context);
    },
  });
}
