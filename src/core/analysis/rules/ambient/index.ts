// The ambient group's rules (waypoints, L7 configuration ztunnel cannot apply).
// A new rule of this group is a new file beside these, listed here.
import type { Rule } from '../../rule.ts';
import { l7WithoutWaypoint } from './l7-without-waypoint.ts';
import { waypointLabels } from './waypoint-labels.ts';

export const AMBIENT_RULES: readonly Rule[] = [l7WithoutWaypoint, waypointLabels];
