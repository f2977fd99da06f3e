import type { Rule } from '../../rule.ts';

/** ServiceEntries with TCP ports need addresses (istioctl's serviceentry analyzer). */
export const serviceEntryAddresses: Rule = {
  name: 'serviceentry.addresses',
  description: 'A ServiceEntry with a TCP or unset-protocol port declares addresses.',
  reads: ['ServiceEntry'],
  codes: ['IST0134'],
  run(ctx) {
    for (const se of ctx.snapshot.serviceEntries) {
      if ((se.spec.addresses ?? []).length > 0) continue;
      (se.spec.ports ?? []).forEach((p, i) => {
        const protocol = (p?.protocol ?? '').toUpperCase();
        if (protocol === '' || protocol === 'TCP') {
          ctx.report(
            'IST0134',
            { port: `${p?.name ?? ''}/${p?.number ?? '?'}${protocol ? ` ${protocol}` : ''}` },
            se,
            ['spec', 'ports', i],
          );
        }
      });
    }
  },
};
