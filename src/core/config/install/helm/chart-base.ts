// The base chart's values (CRDs, the istio-reader account, the default validator).
import { COMMON, type Tree } from './chart-shapes.ts';

export const base: Tree = {
  ...COMMON,
  global: {
    imagePullSecrets: 'list',
    istioNamespace: 'string',
    istiod: { enableAnalysis: 'boolean' },
    configValidation: 'boolean',
    externalIstiod: 'boolean',
    remotePilotAddress: 'string',
    platform: 'string',
    ipFamilyPolicy: 'string',
    ipFamilies: 'list',
  },
  base: { enableCRDTemplates: 'boolean', validationURL: 'string', enableIstioConfigCRDs: 'boolean' },
  defaultRevision: 'string',
};
