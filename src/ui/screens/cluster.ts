// Cluster: offline (the simulator grades labs) or the kind context that
// `ica-trainer cluster up` recorded.
import { Box } from 'ink';
import { createElement as h, type ReactElement } from 'react';
import { trainerCommand } from '../../core/command-name.ts';
import { ErrorText, Loading } from '../components/dialogs.ts';
import { Frame } from '../components/frame.ts';
import { Toned } from '../components/styled.ts';
import { useAsync } from '../hooks/use-async.ts';
import { useKeys } from '../hooks/use-keys.ts';
import { clusterInfo } from '../services/cluster.ts';
import { useEnv } from '../services/env.ts';

export function ClusterScreen(): ReactElement {
  const env = useEnv();
  const info = useAsync(() => clusterInfo(env), [env]);
  useKeys(
    ['regrade'],
    () => {
      info.reload();
    },
    { rename: { regrade: 'refresh' } },
  );
  let body: ReactElement;
  if (info.status === 'loading') body = h(Loading, { what: 'the cluster record' });
  else if (info.status === 'error')
    body = h(ErrorText, { message: `the cluster record could not be read: ${info.error}` });
  else if (!info.value)
    body = h(
      Box,
      { flexDirection: 'column' },
      h(Toned, { bold: true }, 'offline'),
      h(
        Toned,
        { wrap: true },
        'No lab cluster is recorded. Labs are graded offline: the analyzer checks your YAML and the simulator plays requests through it against a model of Bookinfo.',
      ),
      h(
        Toned,
        { tone: 'muted', wrap: true },
        `A kind cluster with Istio and Bookinfo (\`${trainerCommand()} cluster up\`, where available) lets you try the same YAML live.`,
      ),
    );
  else {
    const c = info.value;
    body = h(
      Box,
      { flexDirection: 'column' },
      h(Toned, { tone: 'good', bold: true }, `kind cluster ${c.name}`),
      h(Toned, null, `kubeconfig context  ${c.context}`),
      c.istioProfile ? h(Toned, null, `Istio profile       ${c.istioProfile}`) : null,
      c.updatedAt
        ? h(Toned, { tone: 'muted' }, `set up              ${c.updatedAt.slice(0, 16).replace('T', ' ')}`)
        : null,
      h(
        Box,
        { marginTop: 1 },
        h(
          Toned,
          { tone: 'muted', wrap: true },
          'This is what `cluster up` recorded; the trainer does not contact the cluster from this screen.',
        ),
      ),
    );
  }
  return h(Frame, { title: 'Cluster' }, body);
}
