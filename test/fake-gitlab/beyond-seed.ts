/** Extra seed for BEYOND.md: an Owner of `acme` (Owner-level protection rules need one). No rules by default. */
import type { FakeDb } from './db';
import { ACCESS_LEVEL } from './model';
import { GROUP_IDS } from './seed';

export const BEYOND_USER_IDS = { owner: 7 } as const;
export const BEYOND_TOKENS = { owner: 'glpat-FakeOwnerRole000000009' } as const;

export function seedBeyond(db: FakeDb): void {
  db.addUser({ id: BEYOND_USER_IDS.owner, username: 'oscar', name: 'Oscar Owner' });
  db.addToken({ token: BEYOND_TOKENS.owner, name: 'owner', userId: BEYOND_USER_IDS.owner, scopes: ['api'], state: 'active' });
  db.addMember({ userId: BEYOND_USER_IDS.owner, source: 'group', sourceId: GROUP_IDS.acme, accessLevel: ACCESS_LEVEL.owner });
}
