import { load, loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import {
  bookinfoClusterManifests,
  expectedDeployments,
  FORTIO,
  fortioManifests,
  labManifests,
  type Manifest,
  manifestsYaml,
} from '../../src/core/cluster/manifests.ts';
import { BOOKINFO_PORT, BOOKINFO_SERVICES, bookinfoManifests } from '../../src/core/config/bookinfo.ts';

// biome-ignore lint/suspicious/noExplicitAny: the tests read deep fields of plain manifest objects
type Obj = Record<string, any>;
const byKind = (ms: Manifest[], kind: string) => ms.filter((m) => m.kind === kind) as Obj[];

describe('Bookinfo manifests generated from the model', () => {
  const ms = bookinfoClusterManifests('default');

  it('has, per service, a ServiceAccount bookinfo-<svc> and a Service on port 9080 named http', () => {
    for (const svc of BOOKINFO_SERVICES) {
      const sa = byKind(ms, 'ServiceAccount').find((m) => m.metadata.name === `bookinfo-${svc.name}`);
      expect(sa, svc.name).toBeDefined();
      const service = byKind(ms, 'Service').find((m) => m.metadata.name === svc.name);
      expect(service?.spec.ports).toEqual([{ port: BOOKINFO_PORT, name: 'http' }]);
      expect(service?.spec.selector).toEqual({ app: svc.name });
    }
    expect(byKind(ms, 'Service')).toHaveLength(BOOKINFO_SERVICES.length);
    expect(byKind(ms, 'ServiceAccount')).toHaveLength(BOOKINFO_SERVICES.length);
  });

  it('has one Deployment per service version, labelled app/version, with the image and account of the model', () => {
    const deployments = byKind(ms, 'Deployment');
    const want = BOOKINFO_SERVICES.flatMap((s) => s.versions.map((v) => ({ svc: s, v })));
    expect(deployments.map((d) => d.metadata.name)).toEqual(
      want.map(({ svc, v }) => `${svc.name}-${v.version}`),
    );
    for (const { svc, v } of want) {
      const d = deployments.find((m) => m.metadata.name === `${svc.name}-${v.version}`)!;
      const labels = { app: svc.name, version: v.version };
      expect(d.metadata.labels).toEqual(labels);
      expect(d.spec.selector.matchLabels).toEqual(labels);
      expect(d.spec.template.metadata.labels).toEqual(labels);
      const pod = d.spec.template.spec;
      expect(pod.serviceAccountName).toBe(`bookinfo-${svc.name}`);
      expect(pod.containers).toHaveLength(svc.name === 'ratings' ? 2 : 1);
      expect(pod.containers[0].image).toBe(v.image);
      expect(pod.containers[0].image).toMatch(
        new RegExp(`^docker\\.io/istio/examples-bookinfo-${svc.name}-${v.version}:`),
      );
      expect(pod.containers[0].ports).toEqual([{ containerPort: BOOKINFO_PORT, name: 'http' }]);
    }
  });

  it('every Service selects pods of some Deployment, and every account used exists', () => {
    const podLabels = byKind(ms, 'Deployment').map((d) => d.spec.template.metadata.labels);
    for (const s of byKind(ms, 'Service')) {
      expect(podLabels.some((l) => Object.entries(s.spec.selector).every(([k, v]) => l[k] === v))).toBe(true);
    }
    const accounts = new Set(byKind(ms, 'ServiceAccount').map((a) => a.metadata.name));
    for (const d of byKind(ms, 'Deployment'))
      expect(accounts.has(d.spec.template.spec.serviceAccountName)).toBe(true);
  });

  it('agrees with the offline model objects on names, labels, selectors and images', () => {
    const offline = bookinfoManifests('default') as Obj[];
    for (const o of offline) {
      const live = ms.find((m) => m.kind === o.kind && (m as Obj).metadata.name === o.metadata.name) as Obj;
      expect(live, `${o.kind} ${o.metadata.name}`).toBeDefined();
      expect(live.metadata.labels).toEqual(o.metadata.labels);
      if (o.kind === 'Service') expect(live.spec.selector).toEqual(o.spec.selector);
      if (o.kind === 'Deployment') {
        expect(live.spec.template.metadata.labels).toEqual(o.spec.template.metadata.labels);
        const containers = (d: Obj) =>
          d.spec.template.spec.containers.map((c: Obj) => ({
            name: c.name,
            image: c.image,
            ports: c.ports.map((p: Obj) => p.containerPort),
          }));
        expect(containers(live)).toEqual(containers(o));
      }
    }
  });

  it('puts every object in the namespace asked for', () => {
    for (const m of labManifests('lab') as Obj[]) expect(m.metadata.namespace).toBe('lab');
  });

  it('gives reviews and productpage the writable folders their images need', () => {
    const reviews = byKind(ms, 'Deployment').find((d) => d.metadata.name === 'reviews-v1')!;
    expect(reviews.spec.template.spec.volumes.map((v: Obj) => v.name).sort()).toEqual(['tmp', 'wlp-output']);
    const productpage = byKind(ms, 'Deployment').find((d) => d.metadata.name === 'productpage-v1')!;
    expect(productpage.spec.template.spec.containers[0].volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
    ]);
  });
});

describe("ratings' metrics exporter (mtls-port-level's second port)", () => {
  it('runs in every ratings pod: fortio serving HTTP on 9090 only, the ratings Service left at 9080', () => {
    const ms = bookinfoClusterManifests('default') as Obj[];
    const ratings = byKind(ms, 'Deployment').filter((d) => d.metadata.labels.app === 'ratings');
    expect(ratings.length).toBeGreaterThan(0);
    for (const d of ratings) {
      const metrics = d.spec.template.spec.containers.find((c: Obj) => c.name === 'metrics');
      expect(metrics.image).toBe(FORTIO.image);
      expect(metrics.ports).toEqual([{ containerPort: 9090, name: 'http-metrics' }]);
      expect(metrics.args).toEqual([
        'server',
        '-http-port',
        '9090',
        '-grpc-port',
        'disabled',
        '-redirect-port',
        'disabled',
        '-tcp-port',
        'disabled',
        '-udp-port',
        'disabled',
      ]);
    }
    const others = byKind(ms, 'Deployment').filter((d) => d.metadata.labels.app !== 'ratings');
    for (const d of others) expect(d.spec.template.spec.containers).toHaveLength(1);
    const service = byKind(ms, 'Service').find((s) => s.metadata.name === 'ratings');
    expect(service?.spec.ports).toEqual([{ port: 9080, name: 'http' }]);
  });
});

describe('fortio client', () => {
  const ms = fortioManifests('default') as Obj[];

  it('is a Service fortio (8080 named http) and a Deployment fortio-deploy running fortio/fortio', () => {
    const svc = ms.find((m) => m.kind === 'Service')!;
    expect(svc.metadata.name).toBe('fortio');
    expect(svc.spec.ports).toEqual([{ port: 8080, name: 'http' }]);
    expect(svc.spec.selector).toEqual({ app: 'fortio' });
    const d = ms.find((m) => m.kind === 'Deployment')!;
    expect(d.metadata.name).toBe(FORTIO.deployment);
    expect(d.spec.template.metadata.labels).toEqual({ app: 'fortio' });
    expect(d.spec.template.spec.containers[0].image).toMatch(/^fortio\/fortio(:|$)/);
    expect(d.spec.template.spec.serviceAccountName).toBe('fortio');
  });

  it('exposes the outbound cluster statistics the circuit-breaking lessons read', () => {
    const d = ms.find((m) => m.kind === 'Deployment')!;
    const config = load(d.spec.template.metadata.annotations['proxy.istio.io/config']) as Obj;
    expect(config.proxyStatsMatcher.inclusionPrefixes).toContain('cluster.outbound');
  });
});

describe('YAML for kubectl apply -f -', () => {
  it('is one document per object and reads back to the same objects', () => {
    const ms = labManifests('default');
    const text = manifestsYaml(ms);
    const docs = loadAll(text);
    expect(docs).toEqual(ms);
    expect(text.split(/^---$/m)).toHaveLength(ms.length);
  });

  it('lists the deployments status expects, Bookinfo then fortio', () => {
    const deployments = labManifests().filter((m) => m.kind === 'Deployment') as Obj[];
    expect(expectedDeployments().map((d) => d.name)).toEqual(deployments.map((d) => d.metadata.name));
    expect(expectedDeployments().at(-1)).toEqual({ name: 'fortio-deploy', app: 'fortio' });
  });
});
