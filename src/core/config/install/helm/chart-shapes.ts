// The shapes a Helm chart's values take, as key trees: which keys a chart reads and of
// what type. Leaves: 'map' (free keys: labels, annotations, env, nodeSelector, Kubernetes
// objects), 'list', 'mesh' (a MeshConfig, checked as the mesh config schema), 'any'.
export type Leaf =
  | 'string'
  | 'boolean'
  | 'integer'
  | 'number'
  | 'int-or-string'
  | 'bool-or-auto'
  | 'map'
  | 'list'
  | 'mesh'
  | 'any';
export interface Tree {
  [key: string]: Shape;
}
export type Shape = Leaf | Tree;

/** In a Tree, the shape of every key it does not name: an open map with some keys typed. */
export const ANY_KEY = '*';

/**
 * Keys every chart of 1.26 reads in its profile merge (templates/zzz_profile.yaml): the
 * profile, the compatibility version and the platform (files/profile-platform-*.yaml;
 * global.platform works too), beside the defaults' own holder.
 */
export const COMMON: Tree = {
  profile: 'string',
  compatibilityVersion: 'string',
  platform: 'string',
  _internal_defaults_do_not_set: 'map',
};

export const resources: Tree = { requests: 'map', limits: 'map' };
