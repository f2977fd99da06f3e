// Istio 1.26's base chart (CRDs, the istio-reader account, the default validator), pinned
// to a `helm show values istio/base` transcript of 1.26.2 (OriolFilter/Istio_Examples,
// .../02_Helm/01_Default_Profile/README.md; the same keys as DoD-Platform-One/istio-core's
// vendored 1.25 base chart once its own additions are set aside). Keys of older base charts
// (global.externalIstiod, global.configValidation ...) are in REMOVED (charts.ts).
import { COMMON, type Tree } from './chart-shapes.ts';

export const base: Tree = {
  ...COMMON,
  global: {
    imagePullSecrets: 'list',
    istioNamespace: 'string',
    // read by the profile merge (zzz_profile.yaml)
    platform: 'string',
  },
  base: {
    excludedCRDs: 'list',
    enableCRDTemplates: 'boolean',
    validationURL: 'string',
    validationCABundle: 'string',
    enableIstioConfigCRDs: 'boolean',
  },
  defaultRevision: 'string',
  experimental: { stableValidationPolicy: 'boolean' },
};
