import type { Role } from './caller';
import type { ApiKeyScope } from '@gansight/contracts';

/**
 * What an operation needs. `public`: anyone; `signedIn`: any credentials, even a user who has
 * not picked a factory; `factory`: a caller verified for one factory, and then either a user
 * with at least `role` or an API key with `scope` (null: that kind of caller may not call it).
 */
export type Requirement =
  | { access: 'public' }
  | { access: 'signedIn' }
  | { access: 'factory'; role: Role | null; scope: ApiKeyScope | null }
  /** Only the platform operator: the infrastructure every factory shares (ADR 0042). */
  | { access: 'platform' };

const PUBLIC: Requirement = { access: 'public' };
const SIGNED_IN: Requirement = { access: 'signedIn' };
const PLATFORM: Requirement = { access: 'platform' };
/** Users with at least `role`, or API keys holding `scope`. */
const member = (role: Role, scope: ApiKeyScope | null = null): Requirement => ({ access: 'factory', role, scope });

/**
 * Every Query, Mutation and Subscription field and what it needs, in one reviewable place.
 * The schema refuses to build if a root field is missing here (or listed but gone), and
 * permissions.test.ts snapshots this table, so a change of who may call what shows up in review.
 * Mutations with `factory` access are written to the audit log centrally.
 */
export const OPERATION_PERMISSIONS: Record<string, Requirement> = {
  'Query.health': PUBLIC,
  'Query.me': SIGNED_IN,
  'Query.myFactories': SIGNED_IN,
  'Mutation.login': PUBLIC,
  'Mutation.logout': SIGNED_IN,
  'Mutation.changePassword': SIGNED_IN,

  // Factory administration: people and keys are an admin's business only.
  'Query.members': member('ADMIN'),
  'Query.apiKeys': member('ADMIN'),
  'Query.auditLog': member('ADMIN'),
  'Mutation.inviteMember': member('ADMIN'),
  // The signed invitation code is the credential (and the invitee's password, for an existing account).
  'Mutation.acceptInvitation': PUBLIC,
  'Mutation.changeMemberRole': member('ADMIN'),
  'Mutation.removeMember': member('ADMIN'),
  'Mutation.createApiKey': member('ADMIN'),
  'Mutation.revokeApiKey': member('ADMIN'),
  'Query.factory': member('VIEWER', 'results:read'),
  'Mutation.updateFactory': member('ADMIN'),
  // How long the factory's inspections are kept (ADR 0058): deleting data is an admin's decision.
  'Mutation.setInspectionRetention': member('ADMIN'),
  // The shared worker fleet, without host names (ADR 0042): admins only, no API keys.
  'Query.workers': member('ADMIN'),
  'Query.platformWorkers': PLATFORM,
  // Quotas and their use: who uploads and trains (engineers) and admins; not API keys (ADR 0059).
  'Query.factoryUsage': member('ENGINEER'),

  'Query.products': member('VIEWER', 'products:read'),
  'Query.product': member('VIEWER', 'products:read'),
  'Query.defectTypes': member('VIEWER', 'products:read'),
  'Query.defectType': member('VIEWER', 'products:read'),
  'Mutation.createProduct': member('ENGINEER', 'products:write'),
  'Mutation.updateProduct': member('ENGINEER', 'products:write'),
  'Mutation.createDefectType': member('ENGINEER', 'products:write'),
  'Mutation.updateDefectType': member('ENGINEER', 'products:write'),

  'Query.images': member('VIEWER', 'images:read'),
  'Query.image': member('VIEWER', 'images:read'),
  'Mutation.requestImageUpload': member('ENGINEER', 'images:write'),
  'Mutation.registerImage': member('ENGINEER', 'images:write'),
  'Mutation.uploadImage': member('ENGINEER', 'images:write'),
  'Mutation.labelImage': member('ENGINEER', 'images:write'),
  'Mutation.assignImageSplit': member('ENGINEER', 'images:write'),
  'Mutation.deleteImage': member('ENGINEER', 'images:write'),
  'Query.datasetSummary': member('VIEWER', 'images:read'),

  'Query.models': member('VIEWER', 'models:read'),
  'Query.model': member('VIEWER', 'models:read'),
  'Query.trainingRun': member('VIEWER', 'models:read'),
  'Mutation.startTraining': member('ENGINEER', 'models:write'),
  'Mutation.cancelTraining': member('ENGINEER', 'models:write'),
  'Mutation.activateModel': member('ENGINEER', 'models:write'),
  'Mutation.startEvaluation': member('ENGINEER', 'models:write'),
  'Mutation.setModelThreshold': member('ENGINEER', 'models:write'),
  'Mutation.requestInterpolation': member('ENGINEER', 'models:write'),

  'Query.inspection': member('VIEWER', 'results:read'),
  'Query.inspections': member('VIEWER', 'results:read'),
  'Query.defectTrends': member('MANAGER', 'results:read'),
  'Query.defectBreakdown': member('MANAGER', 'results:read'),
  'Query.scoreDistribution': member('MANAGER', 'results:read'),
  // Line integrations submit; among people, engineers (who run trials) do.
  'Mutation.submitInspection': member('ENGINEER', 'inspections:write'),
  'Mutation.reviewInspection': member('MANAGER'),
  'Query.reviewQueue': member('MANAGER'),
  'Query.lots': member('VIEWER', 'results:read'),
  'Query.lot': member('VIEWER', 'results:read'),
  'Mutation.createLot': member('ENGINEER', 'inspections:write'),
  'Mutation.closeLot': member('ENGINEER', 'inspections:write'),
  'Subscription.trainingProgress': member('VIEWER', 'models:read'),
  'Subscription.inspectionProgress': member('VIEWER', 'results:read'),
  'Subscription.inspectionCompleted': member('VIEWER', 'results:read'),



};

/** One line per requirement, as the snapshot test and docs show it. */
export function describeRequirement(req: Requirement): string {
  if (req.access !== 'factory') return req.access;
  const user = req.role ? `role ${req.role}+` : 'no users';
  const key = req.scope ? `key scope ${req.scope}` : 'no API keys';
  return `${user} | ${key}`;
}
