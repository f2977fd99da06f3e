// Gateway and ServiceEntry specs.
import { z } from 'zod';
import { stringMap, uint } from '../common.ts';

export const serverTls = z.strictObject({
  httpsRedirect: z.boolean().optional(),
  mode: z.string().optional(),
  serverCertificate: z.string().optional(),
  privateKey: z.string().optional(),
  caCertificates: z.string().optional(),
  caCrl: z.string().optional(),
  credentialName: z.string().optional(),
  credentialNames: z.array(z.string()).optional(),
  tlsCertificates: z
    .array(
      z.strictObject({
        serverCertificate: z.string().optional(),
        privateKey: z.string().optional(),
        caCertificates: z.string().optional(),
      }),
    )
    .optional(),
  subjectAltNames: z.array(z.string()).optional(),
  verifyCertificateSpki: z.array(z.string()).optional(),
  verifyCertificateHash: z.array(z.string()).optional(),
  minProtocolVersion: z.string().optional(),
  maxProtocolVersion: z.string().optional(),
  cipherSuites: z.array(z.string()).optional(),
});

export const serverPort = z.strictObject({
  number: uint.optional(),
  protocol: z.string().optional(),
  name: z.string().optional(),
  targetPort: uint.optional(),
});

export const server = z.strictObject({
  port: serverPort.optional(),
  bind: z.string().optional(),
  hosts: z.array(z.string()).optional(),
  tls: serverTls.optional(),
  defaultEndpoint: z.string().optional(),
  name: z.string().optional(),
});
export type Server = z.infer<typeof server>;

export const gatewaySpec = z.strictObject({
  selector: stringMap.optional(),
  servers: z.array(server).optional(),
});
export type GatewaySpec = z.infer<typeof gatewaySpec>;

export const serviceEntrySpec = z.strictObject({
  hosts: z.array(z.string()).optional(),
  addresses: z.array(z.string()).optional(),
  ports: z.array(serverPort).optional(),
  location: z.enum(['MESH_EXTERNAL', 'MESH_INTERNAL']).optional(),
  resolution: z.enum(['NONE', 'STATIC', 'DNS', 'DNS_ROUND_ROBIN']).optional(),
  endpoints: z
    .array(
      z.strictObject({
        address: z.string().optional(),
        ports: z.record(z.string(), uint).optional(),
        labels: stringMap.optional(),
        network: z.string().optional(),
        locality: z.string().optional(),
        weight: uint.optional(),
        serviceAccount: z.string().optional(),
      }),
    )
    .optional(),
  workloadSelector: z.strictObject({ labels: stringMap.optional() }).optional(),
  exportTo: z.array(z.string()).optional(),
  subjectAltNames: z.array(z.string()).optional(),
});
export type ServiceEntrySpec = z.infer<typeof serviceEntrySpec>;
